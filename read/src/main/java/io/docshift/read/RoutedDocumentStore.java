package io.docshift.read;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link DocumentStore} that chooses a backend per call and reports which one served. {@link
 * #head} and {@link #get} behave exactly like {@link #headServed} and {@link #getServed} without
 * the report. Failure semantics are those of {@link DocumentStore}: futures fail with a classified
 * {@link io.docshift.core.store.StoreException}.
 */
public interface RoutedDocumentStore extends DocumentStore {
  /** Metadata of the original, from the backend the routing rules pick for {@code key}. */
  CompletableFuture<Served<DocumentMeta>> headServed(DocumentKey key);

  /** The original (or a range), from the backend the routing rules pick for {@code key}. */
  CompletableFuture<Served<DocumentResponse>> getServed(DocumentKey key, Optional<ByteRange> range);

  /**
   * Whether a request of {@code key} that Cloudinary answers itself (a transformation, a signed
   * upload-type URL) must be answered 404 without asking it: the document was removed through
   * DocShift while the write mode is {@code S3_ONLY}, so Cloudinary never heard of the removal and
   * may still hold it. Completes {@code false} when the ledger cannot be read (as a read does).
   */
  CompletableFuture<Boolean> removedInS3Only(DocumentKey key);

  @Override
  default CompletableFuture<DocumentMeta> head(DocumentKey key) {
    return headServed(key).thenApply(Served::value);
  }

  @Override
  default CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    return getServed(key, range).thenApply(Served::value);
  }
}
