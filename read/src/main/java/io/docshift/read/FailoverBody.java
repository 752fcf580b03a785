package io.docshift.read;

import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.SplicedBody;
import io.docshift.core.store.StoreException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An S3 body that, when S3 fails after the response started (reset, timeout between reads, a body
 * cut short), continues from Cloudinary: it asks for the rest of the same bytes ({@code Range:
 * bytes=N-} from the next byte, or {@code N-last} for a client's closed range) and relays them into
 * the same subscriber. The continuation is used only when it is the {@code 206} of exactly that
 * part ({@code Content-Range} {@code N-last/total}) of the same version (its ETag is the MD5 the
 * client was given); anything else is discarded and the subscriber gets S3's failure, as without a
 * failover. Only one continuation is tried. Whether the spliced bytes are right is checked by
 * whoever hashes the whole body ({@link VerifyingBody} around this one), which reports through
 * {@link #checksumFailed()}.
 *
 * <p>Demand: what the subscriber asked for and was not given yet is asked of the continuation when
 * it subscribes. Signals stay serial: S3's body has ended before the continuation is asked, and the
 * continuation's signals follow. {@code request} and {@code cancel} may come from any thread; the
 * fields both sides touch are guarded by the relay's monitor, never held while calling out.
 *
 * <p>{@code report} hears how each failover ended ({@link FailoverOutcome}), with S3's outcome.
 */
final class FailoverBody implements Publisher<ByteBuffer>, SplicedBody {
  private final Publisher<ByteBuffer> source;
  private final ContentRange span;
  private final String md5;
  private final Function<ByteRange, CompletableFuture<DocumentResponse>> continuation;
  private final BiConsumer<Outcome, FailoverOutcome> report;
  private final String what;
  private volatile Relay relay;

  /**
   * @param span the bytes the body carries: the whole document or the part S3 answered
   * @param md5 the MD5 hex (ETag) the client was given; the continuation must carry the same
   * @param continuation asks Cloudinary for a range of the same document
   */
  FailoverBody(
      Publisher<ByteBuffer> source,
      ContentRange span,
      String md5,
      Function<ByteRange, CompletableFuture<DocumentResponse>> continuation,
      BiConsumer<Outcome, FailoverOutcome> report,
      String what) {
    this.source = source;
    this.span = span;
    this.md5 = md5;
    this.continuation = continuation;
    this.report = report;
    this.what = what;
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
    Relay r = new Relay(subscriber);
    relay = r;
    source.subscribe(r.new Leg(false));
  }

  /** Whether Cloudinary's bytes were spliced in (the body is no longer S3's alone). */
  @Override
  public boolean spliced() {
    Relay r = relay;
    return r != null && r.isSpliced();
  }

  /**
   * The whole body did not hash to the ledger's digest. Called by the hasher while this body
   * completes (synchronously, from inside the subscriber's {@code onComplete}), so the failover is
   * reported as a mismatch rather than a splice.
   */
  void checksumFailed() {
    Relay r = relay;
    if (r != null) {
      r.mismatched();
    }
  }

  private final class Relay implements Subscription {
    private final Subscriber<? super ByteBuffer> downstream;
    private Subscription current;
    private long demand;
    private long delivered;
    private boolean cancelled;
    private boolean spliced;
    private boolean mismatch;
    private StoreException s3Failure;

    Relay(Subscriber<? super ByteBuffer> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void request(long n) {
      Subscription s;
      synchronized (this) {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        s = current;
      }
      if (s != null) {
        s.request(n); // n <= 0 reaches the source, which signals the rule 3.9 error
      }
    }

    @Override
    public void cancel() {
      Subscription s;
      synchronized (this) {
        cancelled = true;
        s = current;
        current = null;
      }
      if (s != null) {
        s.cancel();
      }
    }

    synchronized boolean isSpliced() {
      return spliced;
    }

    synchronized void mismatched() {
      mismatch = true;
    }

    /** S3's body broke off: ask Cloudinary for the rest, or pass the failure on. */
    private void failOver(Throwable t) {
      StoreException failure = StoreException.wrap(Backend.S3, "get body", what, t);
      long offset;
      synchronized (this) {
        current = null;
        s3Failure = failure;
        offset = span.first() + delivered;
        if (cancelled) {
          return;
        }
      }
      if (!failure.outcome().isBackendFault() || offset > span.last()) {
        downstream.onError(t);
        return;
      }
      ByteRange rest =
          span.last() == span.total() - 1
              ? ByteRange.from(offset)
              : ByteRange.closed(offset, span.last());
      CompletableFuture<DocumentResponse> asked;
      try {
        asked = continuation.apply(rest);
      } catch (RuntimeException e) {
        asked = CompletableFuture.failedFuture(e);
      }
      asked.whenComplete((response, f) -> continued(offset, response, f));
    }

    private void continued(long offset, DocumentResponse response, Throwable failure) {
      if (failure != null) {
        abort(FailoverOutcome.FAILED);
        return;
      }
      boolean gone;
      synchronized (this) {
        gone = cancelled;
      }
      if (gone) {
        response.discard();
        return;
      }
      Optional<ContentRange> expected =
          Optional.of(new ContentRange(offset, span.last(), span.total()));
      if (!response.contentRange().equals(expected)
          || !response.meta().md5Hex().equals(Optional.of(md5))) {
        response.discard();
        abort(FailoverOutcome.REFUSED);
        return;
      }
      synchronized (this) {
        spliced = true;
      }
      response.body().subscribe(new Leg(true));
    }

    /** The continuation did not work out: the subscriber gets S3's failure, as without one. */
    private void abort(FailoverOutcome outcome) {
      StoreException failure;
      boolean gone;
      synchronized (this) {
        failure = s3Failure;
        gone = cancelled;
      }
      report.accept(failure.outcome(), outcome);
      if (!gone) {
        downstream.onError(failure);
      }
    }

    /** The continuation ended: complete only when it carried every byte that was missing. */
    private void continuationEnded() {
      boolean whole;
      synchronized (this) {
        whole = delivered == span.length();
      }
      if (!whole) {
        abort(FailoverOutcome.FAILED);
        return;
      }
      downstream.onComplete(); // a hasher downstream calls checksumFailed() from in here
      boolean badSum;
      StoreException failure;
      synchronized (this) {
        badSum = mismatch;
        failure = s3Failure;
      }
      report.accept(failure.outcome(), badSum ? FailoverOutcome.MISMATCH : FailoverOutcome.SPLICED);
    }

    /** One store's body: S3's first, then (at most one) Cloudinary continuation. */
    final class Leg implements Subscriber<ByteBuffer> {
      private final boolean continuation;

      Leg(boolean continuation) {
        this.continuation = continuation;
      }

      @Override
      public void onSubscribe(Subscription s) {
        long owed;
        boolean gone;
        synchronized (Relay.this) {
          gone = cancelled;
          if (!gone) {
            current = s;
          }
          owed = demand;
        }
        if (!continuation) {
          downstream.onSubscribe(Relay.this);
        } else if (gone) {
          s.cancel();
        } else if (owed > 0) {
          s.request(owed);
        }
      }

      @Override
      public void onNext(ByteBuffer item) {
        synchronized (Relay.this) {
          demand--;
          delivered += item.remaining();
        }
        downstream.onNext(item);
      }

      @Override
      public void onError(Throwable t) {
        if (continuation) {
          abort(FailoverOutcome.FAILED);
        } else {
          failOver(t);
        }
      }

      @Override
      public void onComplete() {
        if (continuation) {
          continuationEnded();
        } else {
          downstream.onComplete();
        }
      }
    }
  }
}
