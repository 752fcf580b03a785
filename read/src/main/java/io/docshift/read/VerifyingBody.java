package io.docshift.read;

import io.docshift.core.digest.Digester;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.SplicedBody;
import io.docshift.core.store.StoreException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A body that hashes S3's bytes as they pass and completes only when they hash to the ledger's
 * digest. To make a mismatch visible to the client as a broken transfer, never as a complete
 * response, the newest buffer is always held back: it goes out only after the end of the body
 * verified, so a client counting bytes against {@code Content-Length} (or waiting for the last
 * chunk) is always at least one buffer short when the body fails. On a mismatch the held buffer is
 * dropped, {@code onMismatch} hears the observed digest, and the subscriber gets a {@link
 * Outcome#CHECKSUM_MISMATCH} error.
 *
 * <p>Demand: the first {@code request(n)} asks the source for one item more, which stays held;
 * after that demand passes through unchanged. The held buffer at the end is delivered only within
 * the subscriber's demand (or on its next request). Buffers are plain heap/NIO buffers owned by the
 * subscriber (the store's contract), so a dropped one needs no release.
 *
 * <p>Threading: the source signals serially (Reactive Streams); {@code request} may come from
 * another thread. The few fields both sides touch are guarded by this relay's monitor, which is
 * never held while waiting for anything.
 */
final class VerifyingBody implements Publisher<ByteBuffer>, SplicedBody {
  private final Publisher<ByteBuffer> source;
  private final ExpectedDigest expected;
  private final String what;
  private final Consumer<String> onMismatch;

  /**
   * @param what names the document in the error message
   * @param onMismatch told the observed hex digest; must not block
   */
  VerifyingBody(
      Publisher<ByteBuffer> source,
      ExpectedDigest expected,
      String what,
      Consumer<String> onMismatch) {
    this.source = source;
    this.expected = expected;
    this.what = what;
    this.onMismatch = onMismatch;
  }

  /** Whether the body it checks had another store's bytes spliced in. */
  @Override
  public boolean spliced() {
    return source instanceof SplicedBody spliced && spliced.spliced();
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
    source.subscribe(new Relay(subscriber));
  }

  private final class Relay implements Subscriber<ByteBuffer>, Subscription {
    private final Subscriber<? super ByteBuffer> downstream;
    private final Digester digest = expected.newDigester();
    private Subscription upstream;
    private ByteBuffer held;
    private long demand;
    private boolean askedExtra;
    private boolean verified;
    private boolean finished;

    Relay(Subscriber<? super ByteBuffer> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      downstream.onSubscribe(this);
    }

    @Override
    public void request(long n) {
      long fromSource;
      synchronized (this) {
        demand = saturatedAdd(demand, n);
        fromSource = askedExtra ? n : saturatedAdd(n, 1);
        askedExtra = true;
      }
      if (!finishIfVerified()) {
        upstream.request(fromSource);
      }
    }

    @Override
    public void cancel() {
      synchronized (this) {
        finished = true;
      }
      upstream.cancel();
    }

    @Override
    public void onNext(ByteBuffer item) {
      digest.update(item);
      ByteBuffer previous;
      synchronized (this) {
        previous = held;
        held = item;
        if (previous != null) {
          demand--;
        }
      }
      if (previous != null) {
        downstream.onNext(previous);
      }
    }

    @Override
    public void onError(Throwable t) {
      synchronized (this) {
        held = null;
        finished = true;
      }
      downstream.onError(t);
    }

    @Override
    public void onComplete() {
      String observed = expected.observedIn(digest.finish());
      if (!observed.equals(expected.hex())) {
        synchronized (this) {
          held = null;
          finished = true;
        }
        onMismatch.accept(observed);
        downstream.onError(
            new StoreException(
                Backend.S3,
                Outcome.CHECKSUM_MISMATCH,
                what
                    + ": S3 body hashes to "
                    + observed
                    + ", the ledger recorded "
                    + expected.hex(),
                null));
        return;
      }
      synchronized (this) {
        verified = true;
      }
      finishIfVerified();
    }

    /** Delivers the held buffer and completes, once, when verified and demanded. */
    private boolean finishIfVerified() {
      ByteBuffer last;
      synchronized (this) {
        if (!verified || finished || (held != null && demand <= 0)) {
          return verified || finished;
        }
        finished = true;
        last = held;
        held = null;
      }
      if (last != null) {
        downstream.onNext(last);
      }
      downstream.onComplete();
      return true;
    }

    private static long saturatedAdd(long a, long b) {
      long sum = a + b;
      return sum < 0 ? Long.MAX_VALUE : sum;
    }
  }
}
