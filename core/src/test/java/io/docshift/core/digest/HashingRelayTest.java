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
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** The relay between a download and an upload: bytes, demand, digests and a wrong length. */
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
