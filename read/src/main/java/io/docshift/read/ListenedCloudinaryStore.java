package io.docshift.read;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Cloudinary as the router reads it, telling a {@link CloudinaryReadListener} when a whole original
 * it served has ended (completed, or cancelled by a client that left). The body passes through
 * untouched, buffer for buffer and demand for demand; the listener hears of the end after the
 * subscriber did, so nothing it does can delay the client. Ranged reads and answers that carry a
 * part are passed on without a listener.
 */
final class ListenedCloudinaryStore implements DocumentStore {
  private final DocumentStore cloudinary;
  private final CloudinaryReadListener listener;

  ListenedCloudinaryStore(DocumentStore cloudinary, CloudinaryReadListener listener) {
    this.cloudinary = cloudinary;
    this.listener = listener;
  }

  @Override
  public Backend backend() {
    return cloudinary.backend();
  }

  @Override
  public CompletableFuture<DocumentMeta> head(DocumentKey key) {
    return cloudinary.head(key);
  }

  @Override
  public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    CompletableFuture<DocumentResponse> answer = cloudinary.get(key, range);
    if (range.isPresent()) {
      return answer;
    }
    return answer.thenApply(
        response ->
            response.contentRange().isPresent()
                ? response
                : new DocumentResponse(
                    response.meta(), response.contentRange(), new Ended(key, response.body())));
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    return cloudinary.put(key, request);
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    return cloudinary.delete(key);
  }

  @Override
  public void close() {
    cloudinary.close();
  }

  /** The body, telling the listener once when it completed or was cancelled. */
  private final class Ended implements Publisher<ByteBuffer> {
    private final DocumentKey key;
    private final Publisher<ByteBuffer> source;

    Ended(DocumentKey key, Publisher<ByteBuffer> source) {
      this.key = key;
      this.source = source;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
      source.subscribe(new Relay(key, subscriber));
    }
  }

  private final class Relay implements Subscriber<ByteBuffer>, Subscription {
    private final DocumentKey key;
    private final Subscriber<? super ByteBuffer> downstream;
    private Subscription upstream;
    // A cancel may come from another thread than the source's signals; only one end is told.
    private final AtomicBoolean told = new AtomicBoolean();

    Relay(DocumentKey key, Subscriber<? super ByteBuffer> downstream) {
      this.key = key;
      this.downstream = downstream;
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      downstream.onSubscribe(this);
    }

    @Override
    public void onNext(ByteBuffer item) {
      downstream.onNext(item);
    }

    @Override
    public void onError(Throwable t) {
      // Cloudinary broke off: nothing was served whole, and a copy now would likely fail too.
      told.set(true);
      downstream.onError(t);
    }

    @Override
    public void onComplete() {
      downstream.onComplete();
      tell();
    }

    @Override
    public void request(long n) {
      upstream.request(n);
    }

    @Override
    public void cancel() {
      upstream.cancel();
      tell();
    }

    private void tell() {
      if (told.compareAndSet(false, true)) {
        listener.served(key);
      }
    }
  }
}
