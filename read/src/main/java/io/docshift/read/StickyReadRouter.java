package io.docshift.read;

import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.docshift.traffic.TrafficStateSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The weighted sticky read: an original goes to the S3 path only when its sticky bucket is below
 * the live S3 read weight and the ledger says its S3 copy is verified in the requested format;
 * everything else reads Cloudinary. The weight is checked first, so at weight 0 the ledger is
 * consulted only when Cloudinary answers 404. A ledger that cannot be read sends the read to
 * Cloudinary.
 *
 * <p><b>Cloudinary's 404 for a verified S3 copy.</b> The ledger is DocShift's record of what
 * exists: a document written while S3 was primary ({@code S3_ONLY}, or {@code DUAL_S3_PRIMARY}
 * before its Cloudinary repair ran) is verified in S3 and absent from Cloudinary. When reads go to
 * Cloudinary (a reverted weight, an auto-revert trip, a bucket above the weight), Cloudinary's 404
 * for such a document is answered from S3 instead, so a revert never makes an acknowledged document
 * vanish. Deletes made through DocShift tombstone the ledger row, so they are not brought back; a
 * delete made directly at Cloudinary, bypassing DocShift, is not seen here (as at weight 100).
 *
 * <p><b>Removed in {@code S3_ONLY}.</b> There a delete or rename through DocShift never reaches
 * Cloudinary, which may still hold the document from before the migration: while the write mode is
 * {@code S3_ONLY}, a document whose ledger row is a removal tombstone is answered Cloudinary's 404
 * without asking either store (this costs a cached ledger lookup on every read, also at weight 0).
 * An access-controlled tombstone still goes to Cloudinary, which checks the signature. In the dual
 * modes a removal reaches Cloudinary too, so its own 404 stands.
 *
 * <p><b>Integrity and mid-body failover</b> ({@link S3Bodies}). A full body S3 serves is hashed as
 * it streams and must match the digest the ledger verified ({@link VerifyingBody}); otherwise the
 * transfer is aborted and {@link MismatchListener} hears of it. Ranged bodies (206) are a part of
 * the object and cannot be checked against a whole-object digest: they are served unchecked, and
 * stop going to S3 as soon as a full read (or shadow read, or {@code verify --deep}) has marked the
 * document {@code mismatch}. A body S3 breaks off continues from Cloudinary ({@link FailoverBody}).
 *
 * <p>Writes are not routed: {@code put} and {@code delete} go to Cloudinary until the write-path
 * tee takes over.
 */
final class StickyReadRouter implements RoutedDocumentStore {
  private final DocumentStore cloudinary;
  private final RoutedDocumentStore s3Path;
  private final TrafficStateSource traffic;
  private final VerifiedCopies copies;
  private final S3OnlyCopies s3Only;
  private final MetricsRecorder metrics;
  private final S3Bodies bodies;
  private final Runnable closer;

  StickyReadRouter(
      DocumentStore cloudinary,
      RoutedDocumentStore s3Path,
      TrafficStateSource traffic,
      VerifiedCopies copies,
      S3OnlyCopies s3Only,
      MetricsRecorder metrics,
      S3Bodies bodies,
      Runnable closer) {
    this.cloudinary = cloudinary;
    this.s3Path = s3Path;
    this.traffic = traffic;
    this.copies = copies;
    this.s3Only = s3Only;
    this.metrics = metrics;
    this.bodies = bodies;
    this.closer = closer;
  }

  @Override
  public Backend backend() {
    return Backend.CLOUDINARY;
  }

  @Override
  public CompletableFuture<Served<DocumentMeta>> headServed(DocumentKey key) {
    return route(key, digest -> s3Path.headServed(key), () -> cloudinary.head(key));
  }

  @Override
  public CompletableFuture<Served<DocumentResponse>> getServed(
      DocumentKey key, Optional<ByteRange> range) {
    return route(
        key,
        digest ->
            s3Path.getServed(key, range).thenApply(served -> bodies.checked(key, digest, served)),
        () -> cloudinary.get(key, range));
  }

  private <T> CompletableFuture<Served<T>> route(
      DocumentKey key,
      Function<ExpectedDigest, CompletableFuture<Served<T>>> viaS3,
      Supplier<CompletableFuture<T>> viaCloudinary) {
    Lookup ledger = new Lookup(key);
    if (traffic.current().writeMode() != WriteMode.S3_ONLY) {
      return weighted(key, ledger, viaS3, viaCloudinary);
    }
    // S3_ONLY removals never reach Cloudinary, which may still hold a copy from before the
    // migration: a removed document is answered 404 here, or Cloudinary would serve it.
    return ledger
        .answer()
        .thenCompose(
            answer ->
                answer.removed()
                    ? CompletableFuture.<Served<T>>failedFuture(removedNotFound(key))
                    : weighted(key, ledger, viaS3, viaCloudinary));
  }

  private <T> CompletableFuture<Served<T>> weighted(
      DocumentKey key,
      Lookup ledger,
      Function<ExpectedDigest, CompletableFuture<Served<T>>> viaS3,
      Supplier<CompletableFuture<T>> viaCloudinary) {
    if (key.stickyBucket() >= traffic.current().s3ReadPercent()) {
      return fromCloudinary(key, ledger, viaS3, viaCloudinary);
    }
    return ledger
        .answer()
        .thenCompose(
            answer ->
                answer.verifiedCopy().isPresent()
                    ? viaS3.apply(answer.verifiedCopy().get())
                    : fromCloudinary(key, ledger, viaS3, viaCloudinary));
  }

  /** Cloudinary's answer; its 404 for a document only S3 holds is answered from S3. */
  private <T> CompletableFuture<Served<T>> fromCloudinary(
      DocumentKey key,
      Lookup ledger,
      Function<ExpectedDigest, CompletableFuture<Served<T>>> viaS3,
      Supplier<CompletableFuture<T>> viaCloudinary) {
    CompletableFuture<Served<T>> result = new CompletableFuture<>();
    viaCloudinary
        .get()
        .whenComplete(
            (value, failure) -> {
              if (failure == null) {
                result.complete(Served.by(Backend.CLOUDINARY, value));
              } else if (OutcomeClassifier.classify(Backend.CLOUDINARY, failure)
                  != Outcome.NOT_FOUND) {
                result.completeExceptionally(failure);
              } else {
                onlyInS3(key, ledger)
                    .thenCompose(
                        copy ->
                            copy.isPresent()
                                ? viaS3.apply(copy.get())
                                : CompletableFuture.<Served<T>>failedFuture(failure))
                    .whenComplete(
                        (served, f) -> {
                          if (f == null) {
                            result.complete(served);
                          } else {
                            result.completeExceptionally(f);
                          }
                        });
              }
            });
    return result;
  }

  /** The ledger's digest when S3 may serve {@code key} and Cloudinary lacks it by design. */
  private CompletableFuture<Optional<ExpectedDigest>> onlyInS3(DocumentKey key, Lookup ledger) {
    return ledger
        .answer()
        .thenCompose(
            answer ->
                answer.verifiedCopy().isEmpty()
                    ? CompletableFuture.completedFuture(answer.verifiedCopy())
                    : s3Only
                        .onlyInS3(key)
                        .thenApply(only -> only ? answer.verifiedCopy() : Optional.empty()));
  }

  /**
   * The 404 Cloudinary gives for a missing resource, on its behalf: Cloudinary is the store a
   * tombstone routes to, so the client sees the same answer as for any other missing document.
   */
  private static StoreException removedNotFound(DocumentKey key) {
    return new StoreException(
        Backend.CLOUDINARY, Outcome.NOT_FOUND, "removed through DocShift in S3_ONLY: " + key, null);
  }

  /**
   * The ledger's answer for one read, asked at most once however many rules need it (the removal
   * check, the weight, Cloudinary's 404): a failed read is counted once and then answers {@link
   * LedgerAnswer#NEITHER}, which sends the read to Cloudinary. Each step runs after the previous
   * one completed, so the field needs no lock.
   */
  private final class Lookup {
    private final DocumentKey key;
    private volatile CompletableFuture<LedgerAnswer> answer;

    Lookup(DocumentKey key) {
      this.key = key;
    }

    CompletableFuture<LedgerAnswer> answer() {
      CompletableFuture<LedgerAnswer> asked = answer;
      if (asked == null) {
        asked = copies.lookup(key).handle(this::orNeither);
        answer = asked;
      }
      return asked;
    }

    private LedgerAnswer orNeither(LedgerAnswer answer, Throwable failure) {
      if (failure != null) {
        metrics.ledgerLookupFailure();
        return LedgerAnswer.NEITHER;
      }
      return answer;
    }
  }

  @Override
  public CompletableFuture<Boolean> removedInS3Only(DocumentKey key) {
    if (traffic.current().writeMode() != WriteMode.S3_ONLY) {
      return CompletableFuture.completedFuture(false);
    }
    return new Lookup(key).answer().thenApply(LedgerAnswer::removed);
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
