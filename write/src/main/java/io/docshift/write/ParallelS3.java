package io.docshift.write;

import io.docshift.copier.CopyFailure;
import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.StoreException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 half of a Cloudinary-primary dual-write to a <em>new</em> document, put while Cloudinary
 * takes the same upload instead of after it: the client then waits for the slower store, not for
 * both one after the other. Only for a signed upload DocShift authenticated, whose S3 key it named
 * up front and whose repair intent is committed, when the ledger has no row for the document.
 *
 * <p>The put creates only ({@code If-None-Match: *}): it never replaces an object, so a write that
 * Cloudinary then refuses has nothing to restore, only its own object to remove ({@link
 * #takeBack}). It carries the bytes' MD5 and SHA-256 but no {@code cloudinary-version}, which only
 * Cloudinary's answer names: the version goes into the ledger's row, and the copier's rules take an
 * object without a version claim as the row's version when its MD5 is the one the row recorded. A
 * refused condition (another writer, a backfill copy) or any other failure leaves the object to the
 * sequential path, which inspects S3 by the copier's rules once Cloudinary answered.
 */
final class ParallelS3 {
  private static final Logger LOG = LoggerFactory.getLogger(ParallelS3.class);

  private final WriteContext ctx;

  ParallelS3(WriteContext ctx) {
    this.ctx = ctx;
  }

  /** How the create-only put ended. */
  enum Placed {
    /** S3 stored these bytes under the key: its ETag is their MD5. */
    STORED,
    /** Nothing of this write's is in S3: it held an object there already (412), or no put. */
    NOTHING,
    /** It failed otherwise: S3 may or may not hold this write's bytes. */
    UNKNOWN
  }

  /** Puts {@code p}'s hashed bytes at {@code p.guess()}, create-only, without a version claim. */
  CompletableFuture<Placed> put(Prepared p, String id) {
    PutRequest request =
        WriteContext.putBuilder(p.bytes(), p.digests(), p.mediaType())
            .condition(PutCondition.ifAbsent())
            .build();
    return UploadStep.async("s3-put-parallel", id, () -> ctx.s3().put(p.guess(), request))
        .handle(
            (r, t) -> {
              if (t == null) {
                boolean ours = r.md5Hex().filter(p.digests().md5()::equals).isPresent();
                return ours ? Placed.STORED : Placed.UNKNOWN;
              }
              Throwable cause = WriteContext.cause(t);
              if (cause instanceof StoreException e && CopyFailure.of(e).preconditionFailed()) {
                return Placed.NOTHING;
              }
              LOG.warn("upload {}: parallel S3 put failed: {}", id, cause.toString());
              return Placed.UNKNOWN;
            });
  }

  /**
   * Removes the object this write put at {@code key}, if S3 still holds it: these bytes (by their
   * SHA-256 in its metadata) and no version claim, which every other writer's put carries. Nothing
   * there is fine. Completes exceptionally when S3 could not be asked or did not delete: the caller
   * leaves the repair intent due, and the repair removes an object Cloudinary does not hold.
   *
   * <p>S3 has no conditional delete on every implementation, so a writer on another instance that
   * replaces the object between the {@code HEAD} and the {@code DELETE} loses its copy; its row is
   * verified, so the next read misses in S3, falls back to Cloudinary and queues the repair.
   */
  CompletableFuture<Void> takeBack(DocumentKey key, Digests digests) {
    return UploadStep.async("s3-take-back", key.publicId(), () -> ctx.s3().head(key))
        .handle((meta, t) -> t == null ? meta : absentOrFail(t))
        .thenCompose(
            meta ->
                meta == null || !ours(meta, digests)
                    ? CompletableFuture.<Void>completedFuture(null)
                    : ctx.s3().delete(key).thenApply(x -> (Void) null));
  }

  private static DocumentMeta absentOrFail(Throwable t) {
    if (SecondaryS3.outcome(t) == Outcome.NOT_FOUND) {
      return null;
    }
    throw new IllegalStateException("S3 not asked whether it holds the taken-back object", t);
  }

  private static boolean ours(DocumentMeta meta, Digests digests) {
    return meta.version().isEmpty()
        && meta.sha256Hex().filter(digests.sha256()::equals).isPresent();
  }
}
