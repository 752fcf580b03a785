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
 * Relays a body of a known length from one store to another, feeding a {@link Digester} with every
 * buffer on its way: the copy streams with the receiver's demand (a request from downstream is a
 * request upstream, so the source is read only as fast as the target takes), and nothing is held.
 *
 * <p>The declared length is enforced both ways: a body that ends early or runs long is failed
 * downstream, so an upload with that {@code Content-Length} is aborted rather than left waiting or
 * cut silently. {@link #digests()} completes once exactly that many bytes went by, which may be
 * before the source signals its end (the receiver can answer as soon as it has them all).
 *
 * <p>Single subscriber. Buffers are plain NIO buffers owned by whoever holds them (the receiver
 * after {@code onNext}); the relay keeps none.
 */
public final class HashingRelay implements Publisher<ByteBuffer> {
  /** What a second subscriber gets before its error: nothing to ask for. */
  private static final Subscription NO_DEMAND =
      new Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      };

  private final Publisher<ByteBuffer> source;
  private final long length;
  private final Digester digester;
  private final CompletableFuture<Digests> digests = new CompletableFuture<>();
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private volatile Subscription upstream;
  private volatile Throwable sourceFailure;
  private volatile boolean aborted;

  private HashingRelay(Publisher<ByteBuffer> source, long length, Digester digester) {
    this.source = source;
    this.length = length;
    this.digester = digester;
  }

  /**
   * @param source the body to relay (a store's response body)
   * @param length the bytes it must carry
   * @param digester what to compute on the way (fed serially, finished once)
   */
  public static HashingRelay of(Publisher<ByteBuffer> source, long length, Digester digester) {
    requireNonNull(source, "source");
    requireNonNull(digester, "digester");
    if (length < 0) {
      throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
    }
    return new HashingRelay(source, length, digester);
  }

  /** The digests of the whole body, once {@code length} bytes went by; fails with the body. */
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
      upstream.cancel();
    }

    @Override
    public void onNext(ByteBuffer buffer) {
      if (done) {
        return;
      }
      if (digester.length() + buffer.remaining() > length) {
        upstream.cancel();
        fail(new IOException("body longer than its declared " + length + " bytes"));
        return;
      }
      // Hash before handing over: the receiver owns the buffer (and its position) afterwards.
      digester.update(buffer);
      boolean whole = digester.length() == length;
      if (whole) {
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
      if (digester.length() < length) {
        fail(new IOException("body ended after " + digester.length() + " of " + length + " bytes"));
        return;
      }
      done = true;
      if (!digests.isDone()) {
        // An empty body has no buffer to complete the digests on.
        digests.complete(digester.finish());
      }
      downstream.onComplete();
    }

    private void fail(Throwable t) {
      done = true;
      sourceFailure = t;
      digests.completeExceptionally(t);
      downstream.onError(t);
    }
  }
}
