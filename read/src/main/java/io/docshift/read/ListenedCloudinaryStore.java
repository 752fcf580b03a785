package io.docshift.read;

import io.docshift.core.digest.Digester;
import io.docshift.core.digest.Digests;
import io.docshift.core.digest.HashingRelay;
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
import org.reactivestreams.Publisher;

/**
 * Cloudinary as the router reads it, telling a {@link CloudinaryReadListener} when a whole original
 * it served has ended (completed, or cancelled by a client that left). The body passes through the
 * one {@link HashingRelay}, untouched, buffer for buffer and demand for demand, with nothing
 * hashed; the listener hears of a completed body after the subscriber did, so nothing it does can
 * delay the client. Ranged reads and answers that carry a part are passed on without a listener.
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
                    response.meta(), response.contentRange(), ended(key, response.body())));
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

  /**
   * The body, telling the listener once when it completed or the client cancelled it. A body
   * Cloudinary broke off is not told: nothing was served whole, and a copy now would likely fail
   * too.
   */
  private HashingRelay ended(DocumentKey key, Publisher<ByteBuffer> body) {
    return HashingRelay.tap(
        body,
        Digester.countingOnly(),
        new HashingRelay.Ending() {
          @Override
          public void completed(Digests digests) {
            listener.served(key);
          }

          @Override
          public void incomplete(boolean cancelled) {
            if (cancelled) {
              listener.served(key);
            }
          }
        });
  }
}
