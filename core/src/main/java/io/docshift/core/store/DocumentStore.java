package io.docshift.core.store;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One backend holding original documents, asynchronous and streaming. Decorators (tee, weighted
 * sticky read, fallback, shadow) implement this same interface and are composed in one place.
 *
 * <p>Failure semantics: every future completes exceptionally with a {@link StoreException} whose
 * {@link StoreException#outcome() outcome} is already classified (not-found, backend timeout / 5xx
 * / connect / throttled, client error, checksum mismatch, local error). Methods never throw for
 * backend failures; they throw {@link NullPointerException} for null arguments.
 *
 * <p>Streaming: bodies are reactive-streams publishers that honour {@code request(n)}; a slow
 * consumer slows the backend read, and no implementation buffers a whole document in memory.
 */
public interface DocumentStore extends AutoCloseable {
  /** The backend this store talks to (a decorator reports the one it serves from by default). */
  Backend backend();

  /**
   * Metadata of the stored original.
   *
   * @return completes with the metadata, or exceptionally with a {@link StoreException} ({@code
   *     NOT_FOUND} when absent)
   */
  CompletableFuture<DocumentMeta> head(DocumentKey key);

  /**
   * Reads the original, or one byte range of it. The response's body must be subscribed to exactly
   * once and either drained or cancelled ({@link DocumentResponse#discard()}), otherwise the
   * underlying connection is held. A backend may ignore the range and send the whole document:
   * check {@link DocumentResponse#contentRange()}.
   */
  CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range);

  /**
   * Stores the original, replacing any existing one. The request's body is subscribed to once; if
   * the store rejects the upload before reading it, the body is cancelled.
   *
   * @return completes when the backend has durably accepted the bytes; exceptionally with {@code
   *     CHECKSUM_MISMATCH} when they do not match the declared digests
   */
  CompletableFuture<PutResult> put(DocumentKey key, PutRequest request);

  /**
   * Deletes the original.
   *
   * @return {@code true} when it existed, {@code false} when there was nothing to delete
   */
  CompletableFuture<Boolean> delete(DocumentKey key);

  /**
   * Records the Cloudinary {@code version} in the stored original's metadata without sending its
   * bytes again, provided the object still is {@code current} (same MD5). A dual-write tee puts the
   * bytes before Cloudinary has named the version. Stores that keep no version need not support it:
   * the default fails with {@link UnsupportedOperationException}.
   *
   * @param current the object's metadata as just read with {@link #head}
   * @return completes when recorded; exceptionally with a {@link StoreException} (a changed object
   *     is a failed precondition)
   */
  default CompletableFuture<Void> recordVersion(
      DocumentKey key, DocumentMeta current, long version) {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException(backend() + " keeps no version metadata"));
  }

  /** Releases connections and threads this store owns (not ones passed in by the caller). */
  @Override
  void close();
}
