package io.docshift.backfill;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A decorator (not a mock) over the real Cloudinary store whose next {@code n} downloads break
 * within their first buffer, as a connection reset mid-body does: the body fails with an {@link
 * IOException} and the real response is cancelled. The downloads after those are counted ({@link
 * #read()}), so a test sees how far a copy read its source.
 */
final class CutDownloads implements DocumentStore {
  private final DocumentStore delegate;
  private final AtomicInteger cuts;
  private final AtomicLong read = new AtomicLong();

  CutDownloads(DocumentStore delegate, int n) {
    this.delegate = delegate;
    this.cuts = new AtomicInteger(n);
  }

  /** Body bytes read so far from the downloads not cut. */
  long read() {
    return read.get();
  }

  @Override
  public Backend backend() {
    return delegate.backend();
  }

  @Override
  public CompletableFuture<DocumentMeta> head(DocumentKey key) {
    return delegate.head(key);
  }

  @Override
  public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    CompletableFuture<DocumentResponse> got = delegate.get(key, range);
    if (cuts.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
      return got.thenApply(
          r -> new DocumentResponse(r.meta(), r.contentRange(), new CountedBody(r.body(), read)));
    }
    return got.thenApply(
        r -> new DocumentResponse(r.meta(), r.contentRange(), new CutBody(r.body())));
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    return delegate.put(key, request);
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    return delegate.delete(key);
  }

  @Override
  public void close() {}

  /** Half the first buffer, then a reset. */
  private record CutBody(Publisher<ByteBuffer> body) implements Publisher<ByteBuffer> {
    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
      body.subscribe(
          new Subscriber<ByteBuffer>() {
            private Subscription upstream;
            private boolean cut;

            @Override
            public void onSubscribe(Subscription s) {
              upstream = s;
              subscriber.onSubscribe(s);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
              if (cut) {
                return;
              }
              cut = true;
              // Half the first buffer, so the cut is always before the body's end.
              subscriber.onNext(buffer.slice(buffer.position(), buffer.remaining() / 2));
              upstream.cancel();
              subscriber.onError(new IOException("connection reset mid-body (injected)"));
            }

            @Override
            public void onError(Throwable t) {
              if (!cut) {
                subscriber.onError(t);
              }
            }

            @Override
            public void onComplete() {
              if (!cut) {
                subscriber.onComplete();
              }
            }
          });
    }
  }

  /** The body as it is, its bytes added to {@code read} as they go by. */
  private record CountedBody(Publisher<ByteBuffer> body, AtomicLong read)
      implements Publisher<ByteBuffer> {
    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
      body.subscribe(
          new Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Subscription s) {
              subscriber.onSubscribe(s);
            }

            @Override
            public void onNext(ByteBuffer buffer) {
              read.addAndGet(buffer.remaining());
              subscriber.onNext(buffer);
            }

            @Override
            public void onError(Throwable t) {
              subscriber.onError(t);
            }

            @Override
            public void onComplete() {
              subscriber.onComplete();
            }
          });
    }
  }
}
