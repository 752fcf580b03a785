package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** The hashing body on its own: held-back last buffer, demand, match and mismatch. */
class VerifyingBodyTest {
  private final AtomicReference<String> observed = new AtomicReference<>();

  @Test
  void aMatchingBodyIsDeliveredWholeWithinDemandOneAtATime() throws Exception {
    Recorder r = read(List.of("ab", "cd", "ef"), sha("abcdef"), 1);
    assertThat(r.text()).isEqualTo("abcdef");
    assertThat(r.completed).isTrue();
    assertThat(r.error).isNull();
    assertThat(r.maxOverDemand).as("never more than requested").isZero();
    assertThat(observed.get()).isNull();
  }

  @Test
  void aDifferingBodyNeverDeliversItsLastBufferAndFailsAsAChecksumMismatch() throws Exception {
    Recorder r = read(List.of("ab", "cd", "eX"), sha("abcdef"), 4);
    assertThat(r.text()).isEqualTo("abcd");
    assertThat(r.completed).isFalse();
    assertThat(r.error)
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.outcome()).isEqualTo(Outcome.CHECKSUM_MISMATCH));
    assertThat(observed.get()).isEqualTo(sha("abcdeX"));
  }

  @Test
  void anEmptyBodyIsCheckedToo() throws Exception {
    assertThat(read(List.of(), sha(""), 1).completed).isTrue();
    Recorder wrong = read(List.of(), sha("x"), 1);
    assertThat(wrong.completed).isFalse();
    assertThat(wrong.error).isInstanceOf(StoreException.class);
  }

  @Test
  void md5IsUsedWhenNoSha256WasRecorded() throws Exception {
    String md5 =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("MD5").digest("abc".getBytes(StandardCharsets.UTF_8)));
    ExpectedDigest digest = ExpectedDigest.of(md5.toUpperCase(java.util.Locale.ROOT), null);
    assertThat(digest.algorithm()).isEqualTo("MD5");
    Recorder r = new Recorder(1);
    new VerifyingBody(new ListPublisher(List.of("a", "bc")), digest, "t", observed::set)
        .subscribe(r);
    assertThat(r.completed).isTrue();
    assertThat(ExpectedDigest.of(null, null).checkable()).isFalse();
  }

  private Recorder read(List<String> chunks, String sha256, int window) {
    Recorder recorder = new Recorder(window);
    new VerifyingBody(
            new ListPublisher(chunks), ExpectedDigest.of(null, sha256), "test", observed::set)
        .subscribe(recorder);
    return recorder;
  }

  private static String sha(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Emits its chunks synchronously, within demand, then completes. */
  private static final class ListPublisher implements Publisher<ByteBuffer> {
    private final List<String> chunks;

    ListPublisher(List<String> chunks) {
      this.chunks = chunks;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> s) {
      s.onSubscribe(
          new Subscription() {
            private int next;
            private long demand;
            private boolean emitting;
            private boolean done;

            @Override
            public void request(long n) {
              demand += n;
              if (emitting) {
                return; // re-entrant request: the loop below continues
              }
              emitting = true;
              while (demand > 0 && next < chunks.size()) {
                demand--;
                s.onNext(ByteBuffer.wrap(chunks.get(next++).getBytes(StandardCharsets.UTF_8)));
              }
              if (next == chunks.size() && !done) {
                done = true;
                s.onComplete();
              }
              emitting = false;
            }

            @Override
            public void cancel() {
              done = true;
            }
          });
    }
  }

  /** Requests {@code window} at a time, again whenever everything asked for has arrived. */
  private static final class Recorder implements Subscriber<ByteBuffer> {
    private final int window;
    private final List<String> received = new ArrayList<>();
    private Subscription subscription;
    private long outstanding;
    private long maxOverDemand;
    private boolean completed;
    private Throwable error;

    Recorder(int window) {
      this.window = window;
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      outstanding = window;
      s.request(window);
    }

    @Override
    public void onNext(ByteBuffer item) {
      outstanding--;
      maxOverDemand = Math.max(maxOverDemand, -outstanding);
      received.add(StandardCharsets.UTF_8.decode(item).toString());
      if (outstanding == 0) {
        outstanding = window;
        subscription.request(window);
      }
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onComplete() {
      completed = true;
    }

    String text() {
      return String.join("", received);
    }
  }
}
