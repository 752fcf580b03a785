package io.docshift.core.read;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.traffic.TrafficStateSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The weighted sticky read: an original goes to the S3 path only when its sticky bucket is below
 * the live S3 read weight and the ledger says its S3 copy is verified in the requested format;
 * everything else reads Cloudinary. The weight is checked first, so at weight 0 the ledger is never
 * consulted. A ledger that cannot be read sends the read to Cloudinary.
 *
 * <p>Writes are not routed: {@code put} and {@code delete} go to Cloudinary until the write-path
 * tee takes over.
 */
final class StickyReadRouter implements RoutedDocumentStore {
  private final DocumentStore cloudinary;
  private final RoutedDocumentStore s3Path;
  private final TrafficStateSource traffic;
  private final VerifiedCopies copies;
  private final MetricsRecorder metrics;
  private final Runnable closer;

  StickyReadRouter(
      DocumentStore cloudinary,
      RoutedDocumentStore s3Path,
      TrafficStateSource traffic,
      VerifiedCopies copies,
      MetricsRecorder metrics,
      Runnable closer) {
    this.cloudinary = cloudinary;
    this.s3Path = s3Path;
    this.traffic = traffic;
    this.copies = copies;
    this.metrics = metrics;
    this.closer = closer;
  }

  @Override
  public Backend backend() {
    return Backend.CLOUDINARY;
  }

  @Override
  public CompletableFuture<Served<DocumentMeta>> headServed(DocumentKey key) {
    return route(key, s3Path::headServed, k -> cloudinary.head(k));
  }

  @Override
  public CompletableFuture<Served<DocumentResponse>> getServed(
      DocumentKey key, Optional<ByteRange> range) {
    return route(key, k -> s3Path.getServed(k, range), k -> cloudinary.get(k, range));
  }

  private <T> CompletableFuture<Served<T>> route(
      DocumentKey key,
      Function<DocumentKey, CompletableFuture<Served<T>>> viaS3,
      Function<DocumentKey, CompletableFuture<T>> viaCloudinary) {
    if (key.stickyBucket() >= traffic.current().s3ReadPercent()) {
      return fromCloudinary(key, viaCloudinary);
    }
    return copies
        .servable(key)
        .handle(
            (servable, failure) -> {
              if (failure != null) {
                metrics.ledgerLookupFailure();
              }
              return failure == null && servable;
            })
        .thenCompose(s3 -> s3 ? viaS3.apply(key) : fromCloudinary(key, viaCloudinary));
  }

  private static <T> CompletableFuture<Served<T>> fromCloudinary(
      DocumentKey key, Function<DocumentKey, CompletableFuture<T>> viaCloudinary) {
    return viaCloudinary.apply(key).thenApply(value -> Served.by(Backend.CLOUDINARY, value));
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
    closer.run();
  }
}
