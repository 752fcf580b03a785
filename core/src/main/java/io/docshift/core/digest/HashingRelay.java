package io.docshift.core.digest;

import static java.util.Objects.requireNonNull;

import io.docshift.core.store.DocumentResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The one body relay that tells at the end: passes a body on buffer for buffer and demand for
 * demand (a request from downstream is a request upstream, so the source is read only as fast as
 * the receiver takes), feeds a {@link Digester} with every buffer on its way (through duplicates,
 * so positions are untouched; the receiver owns each buffer after {@code onNext}), and holds
 * nothing. Used by the copier between a download and S3's put ({@link #of}: the declared length
 * enforced, {@link #digests()} awaited), by shadow reads around the client's body (a CRC-32C
 * reported when it completed) and by copy on read around Cloudinary's (nothing hashed; told when a
 * whole original went out or the client left).
 *
 * <p>With a declared length, a body that ends early or runs long is failed downstream, so an upload
 * with that {@code Content-Length} is aborted rather than left waiting or cut silently; {@link
 * #digests()} then completes once exactly that many bytes went by, which may be before the source
 * signals its end (the receiver can answer as soon as it has them all). Without one, it completes
 * when the source completes, just before the receiver hears it.
 *
 * <p>The {@link Ending} hears once: {@link Ending#completed} after the receiver was told the body
 * is complete (so nothing it starts can delay the receiver), or {@link Ending#incomplete} when the
 * body failed, was aborted or was cancelled. Single subscriber.
 */
public final class HashingRelay implements Publisher<ByteBuffer> {
  /** Told how the body ended; runs on the thread that signalled the end, so must not block. */
  public interface Ending {
    /** Hears nothing. */
    Ending NONE =
        new Ending() {
          @Override
          public void completed(Digests digests) {}

          @Override
          public void incomplete(boolean cancelled) {}
        };

    /** The receiver got the whole body; {@code digests} are of all of it. */
    void completed(Digests digests);

    /**
     * The body did not complete.
     *
     * @param cancelled true when the receiver cancelled it (e.g. a client that left); false when
     *     the source failed or the relay was aborted
     */
    void incomplete(boolean cancelled);
  }

  /** What a second subscriber gets before its error: nothing to ask for. */
  private static final Subscription NO_DEMAND =
      new Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };

  private static final long ANY_LENGTH = -1;

  private final Publisher<ByteBuffer> source;
  private final long length;
  private final Digester digester;
  private final Ending ending;
  private final CompletableFuture<Digests> digests = new CompletableFuture<>();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  // A cancel may come from another thread than the source's signals; only one end is told.
  private final AtomicBoolean told = new AtomicBoolean();
  private volatile Subscription upstream;
  private volatile Throwable sourceFailure;
  private volatile boolean aborted;

  private HashingRelay(
      Publisher<ByteBuffer> source, long length, Digester digester, Ending ending) {
    this.source = requireNonNull(source, "source");
    this.length = length;
    this.digester = requireNonNull(digester, "digester");
    this.ending = requireNonNull(ending, "ending");
  }

  /**
   * A body of a declared length, e.g. a download on its way into an upload.
   *
   * @param source the body to relay (a store's response body)
   * @param length the bytes it must carry
   * @param digester what to compute on the way (fed serially, finished once)
   */
  public static HashingRelay of(Publisher<ByteBuffer> source, long length, Digester digester) {
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
    return new HashingRelay(source, length, digester, Ending.NONE);
  }

  /**
   * A body of any length, e.g. one on its way to a client, whose end {@code ending} hears.
   *
   * @param digester what to compute on the way ({@link Digester#countingOnly()}: nothing)
   */
  public static HashingRelay tap(Publisher<ByteBuffer> source, Digester digester, Ending ending) {
    return new HashingRelay(source, ANY_LENGTH, digester, ending);
  }

  /** The digests of the whole body, once it all went by; fails with the body. */
  public CompletableFuture<Digests> digests() {
    return digests;
  }

  /** What failed on the source's side (its error, or a wrong length), if anything did. */
  public Optional<Throwable> sourceFailure() {
    return Optional.ofNullable(sourceFailure);
  }

  /**
   * Stops reading the source (the receiver failed or gave up): cancels it, or, when nobody
   * subscribed yet, subscribes and cancels so its connection is released. Idempotent.
   */
  public void abort(Throwable why) {
    aborted = true;
    digests.completeExceptionally(why);
    tellIncomplete(false);
    if (subscribed.compareAndSet(false, true)) {
      DocumentResponse.discard(source);
      return;
    }
    Subscription s = upstream;
    if (s != null) {
      s.cancel();
    }
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
    requireNonNull(subscriber, "subscriber");
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(NO_DEMAND);
      subscriber.onError(new IllegalStateException("a relayed body has a single subscriber"));
      return;
    }
    source.subscribe(new Relay(subscriber));
  }

  private void tellIncomplete(boolean cancelled) {
    if (told.compareAndSet(false, true)) {
      ending.incomplete(cancelled);
    }
  }

  /** The link between the source and the one subscriber. */
  private final class Relay implements Subscriber<ByteBuffer>, Subscription {
    private final Subscriber<? super ByteBuffer> downstream;
    private boolean done;

    Relay(Subscriber<? super ByteBuffer> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      if (aborted) {
        // Aborted between subscribing and now: the receiver is gone already.
        s.cancel();
        return;
      }
      downstream.onSubscribe(this);
    }

    @Override
    public void request(long n) {
      upstream.request(n);
    }

    @Override
    public void cancel() {
      tellIncomplete(true);
      upstream.cancel();
    }

    @Override
    public void onNext(ByteBuffer buffer) {
      if (done) {
        return;
      }
      if (length != ANY_LENGTH && digester.length() + buffer.remaining() > length) {
        upstream.cancel();
        fail(new IOException("body longer than its declared " + length + " bytes"));
        return;
      }
      // Hash before handing over: the receiver owns the buffer (and its position) afterwards.
      digester.update(buffer);
      if (digester.length() == length) {
        digests.complete(digester.finish());
      }
      downstream.onNext(buffer);
    }

    @Override
    public void onError(Throwable t) {
      if (!done) {
        fail(t);
      }
    }

    @Override
    public void onComplete() {
      if (done) {
        return;
      }
      if (length != ANY_LENGTH && digester.length() < length) {
        fail(new IOException("body ended after " + digester.length() + " of " + length + " bytes"));
        return;
      }
      done = true;
      if (!digests.isDone()) {
        // An empty body, or one of any length, has no buffer that completed the digests.
        digests.complete(digester.finish());
      }
      downstream.onComplete();
      if (told.compareAndSet(false, true) && !digests.isCompletedExceptionally()) {
        ending.completed(digests.join());
      }
    }

    private void fail(Throwable t) {
      done = true;
      sourceFailure = t;
      digests.completeExceptionally(t);
      downstream.onError(t);
      tellIncomplete(false);
    }
  }
}
