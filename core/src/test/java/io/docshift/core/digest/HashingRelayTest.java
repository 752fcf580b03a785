package io.docshift.core.digest;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.digest.Digester.Algorithm;
import io.docshift.testkit.TestBodies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The one body relay: bytes, demand, digests and a wrong length between a download and an upload,
 * and the end a tapped body tells (completed with its checksum, cancelled, failed).
 */
class HashingRelayTest {
  private static final Digester SHA = Digester.of(Algorithm.SHA256);

  @Test
  void relaysEveryByteWithTheReceiversDemandAndHashesThem() {
    byte[] data = TestBodies.random(100_000, 5);
    HashingRelay relay = HashingRelay.of(TestBodies.chunked(data, 8_192), data.length, SHA);
    Receiver receiver = new Receiver();

    relay.subscribe(receiver);
    assertThat(receiver.received.size()).as("nothing without demand").isZero();
    receiver.request(2);
    assertThat(receiver.received.size()).isEqualTo(2 * 8_192);
    assertThat(relay.digests()).isNotDone();
    receiver.request(Long.MAX_VALUE);

    assertThat(receiver.received.toByteArray()).isEqualTo(data);
    assertThat(receiver.completed).isTrue();
    assertThat(relay.digests().join().sha256()).isEqualTo(TestBodies.sha256Hex(data));
    assertThat(relay.sourceFailure()).isEmpty();
  }

  @Test
  void aBodyShorterThanDeclaredFailsTheReceiverAndIsTheSourcesFailure() {
    byte[] data = TestBodies.random(10_000, 6);
    HashingRelay relay =
        HashingRelay.of(TestBodies.chunked(data, 1_000), data.length + 1, Digester.forS3());
    Receiver receiver = new Receiver();

    relay.subscribe(receiver);
    receiver.request(Long.MAX_VALUE);

    assertThat(receiver.failure).isInstanceOf(IOException.class).hasMessageContaining("ended");
    assertThat(relay.sourceFailure()).containsSame(receiver.failure);
    assertThat(relay.digests()).isCompletedExceptionally();
  }

  @Test
  void aBodyLongerThanDeclaredIsCutBeforeTheExtraBytes() {
    byte[] data = TestBodies.random(10_000, 7);
    HashingRelay relay = HashingRelay.of(TestBodies.chunked(data, 1_000), 9_500, Digester.forS3());
    Receiver receiver = new Receiver();

    relay.subscribe(receiver);
    receiver.request(Long.MAX_VALUE);

    assertThat(receiver.received.toByteArray()).isEqualTo(Arrays.copyOf(data, 9_000));
    assertThat(receiver.failure).isInstanceOf(IOException.class).hasMessageContaining("longer");
    assertThat(relay.sourceFailure()).isPresent();
  }

  @Test
  void abortBeforeAnySubscriberCancelsTheSource() {
    Source source = new Source();
    HashingRelay relay = HashingRelay.of(source, 10, SHA);

    relay.abort(new IllegalStateException("S3 refused"));

    assertThat(source.cancelled).isTrue();
    assertThat(relay.digests()).isCompletedExceptionally();
    Receiver late = new Receiver();
    relay.subscribe(late);
    assertThat(late.failure).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void abortWhileRelayingCancelsTheSource() {
    Source source = new Source();
    HashingRelay relay = HashingRelay.of(source, 10, SHA);
    relay.subscribe(new Receiver());

    relay.abort(new IllegalStateException("timed out"));

    assertThat(source.cancelled).isTrue();
    assertThat(relay.sourceFailure()).isEmpty();
  }

  @Test
  void anEmptyBodyHasDigests() {
    HashingRelay relay = HashingRelay.of(TestBodies.chunked(new byte[0], 10), 0, SHA);
    Receiver receiver = new Receiver();
    relay.subscribe(receiver);
    receiver.request(1);

    assertThat(receiver.completed).isTrue();
    assertThat(relay.digests().join().sha256()).isEqualTo(TestBodies.sha256Hex(new byte[0]));
  }

  @Test
  void aTappedBodyOfAnyLengthIsToldItsChecksumOnceAfterTheReceiverCompleted() {
    byte[] data = TestBodies.random(50_000, 8);
    List<String> told = new ArrayList<>();
    Receiver receiver = new Receiver();
    HashingRelay relay =
        HashingRelay.tap(
            TestBodies.chunked(data, 4_096),
            Digester.of(Algorithm.CRC32C),
            ending(told, () -> receiver.completed));

    relay.subscribe(receiver);
    receiver.request(3);
    assertThat(told).as("not before the end").isEmpty();
    receiver.request(Long.MAX_VALUE);

    assertThat(receiver.received.toByteArray()).isEqualTo(data);
    Digester crc = Digester.of(Algorithm.CRC32C);
    crc.update(ByteBuffer.wrap(data));
    assertThat(told)
        .containsExactly("completed " + data.length + " " + crc.finish().crc32c() + " after");
  }

  @Test
  void aCancelledTapIsToldIncompleteOnceAndCancelsTheSource() {
    Source source = new Source();
    List<String> told = new ArrayList<>();
    HashingRelay relay =
        HashingRelay.tap(source, Digester.countingOnly(), ending(told, () -> false));
    Receiver receiver = new Receiver();
    relay.subscribe(receiver);

    receiver.subscription.cancel();
    receiver.subscription.cancel();

    assertThat(source.cancelled).isTrue();
    assertThat(told).containsExactly("incomplete cancelled=true");
  }

  @Test
  void aTapWhoseSourceFailsIsToldIncompleteAfterTheReceiverHeard() {
    List<String> told = new ArrayList<>();
    Receiver receiver = new Receiver();
    Publisher<ByteBuffer> failing =
        s -> {
          new Source().subscribe(s);
          s.onError(new IOException("reset"));
        };
    HashingRelay.tap(failing, Digester.countingOnly(), ending(told, () -> receiver.failure != null))
        .subscribe(receiver);

    assertThat(told).containsExactly("incomplete cancelled=false after");
  }

  @Test
  void countingOnlyDigestsCarryTheLengthAndNoChecksum() {
    Digester counting = Digester.countingOnly();
    counting.update(ByteBuffer.wrap(new byte[1_234]));
    assertThat(counting.finish()).isEqualTo(new Digests(1_234, null, null, null));
  }

  /** Records each end it hears, and whether the receiver had already heard of it. */
  private static HashingRelay.Ending ending(List<String> told, BooleanSupplier receiverHeard) {
    return new HashingRelay.Ending() {
      @Override
      public void completed(Digests digests) {
        told.add(
            "completed "
                + digests.length()
                + " "
                + digests.crc32c()
                + (receiverHeard.getAsBoolean() ? " after" : " before"));
      }

      @Override
      public void incomplete(boolean cancelled) {
        told.add(
            "incomplete cancelled=" + cancelled + (receiverHeard.getAsBoolean() ? " after" : ""));
      }
    };
  }

  /** A receiver that asks only when told, and keeps what it got. */
  private static final class Receiver implements Subscriber<ByteBuffer> {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    Subscription subscription;
    Throwable failure;
    boolean completed;

    void request(long n) {
      subscription.request(n);
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
    }

    @Override
    public void onNext(ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      received.writeBytes(bytes);
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
    }

    @Override
    public void onComplete() {
      completed = true;
    }
  }

  /** A source that only records cancellation. */
  private static final class Source implements Publisher<ByteBuffer> {
    final List<Long> requested = new ArrayList<>();
    boolean cancelled;

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> s) {
      s.onSubscribe(
          new Subscription() {
            @Override
            public void request(long n) {
              requested.add(n);
            }

            @Override
            public void cancel() {
              cancelled = true;
            }
          });
    }
  }
}
