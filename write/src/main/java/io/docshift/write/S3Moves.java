package io.docshift.write;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairTicket;
import io.docshift.ledger.S3Copy;
import io.docshift.ledger.Transition;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 side of a rename while S3 is the primary ({@code DUAL_S3_PRIMARY}): S3's own object under
 * the old key is copied to the new key, and Cloudinary follows S3 ({@code cld_put}), not the other
 * way round.
 *
 * <p>Why: in this mode S3 may hold a newer version than Cloudinary (an upload whose Cloudinary
 * write failed or was cut off, its {@code cld_put} still queued). Cloudinary renames what it holds,
 * so copying Cloudinary's renamed asset into S3 (the Cloudinary-primary rule) would replace the
 * acknowledged bytes with older ones, and the old key's queued {@code cld_put} dies on the
 * tombstone. Copying within S3 keeps the last acknowledged write; the {@code cld_put} of the new
 * key is committed as an intent before the copy and made due when Cloudinary's renamed copy
 * differs.
 *
 * <p>When S3 holds nothing under the old key (a document that predates the dual-write and was never
 * copied) or the copy fails, the caller falls back to the Cloudinary-primary rule: a {@code put}
 * repair copies Cloudinary's renamed asset.
 */
final class S3Moves {
  private static final Logger LOG = LoggerFactory.getLogger(S3Moves.class);

  private final WriteContext ctx;

  S3Moves(WriteContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Copies S3's object of {@code from} (the row before the rename) to {@code renamed}'s key and
   * records it in the ledger.
   *
   * @return whether S3 now holds the copy; when not, nothing was recorded and no repair is queued
   */
  CompletableFuture<Boolean> move(DocumentRecord from, CloudinaryAsset renamed) {
    String format = renamed.format() != null ? renamed.format() : from.asset().format();
    Optional<DocumentKey> source = S3Deletes.documentKey(from.key(), from.asset().format());
    Optional<DocumentKey> target = S3Deletes.documentKey(renamed.key(), format);
    // Also for a tombstone: S3 may hold an object a killed writer put there after it, and
    // Cloudinary just renamed its copy of that write.
    if (source.isEmpty() || target.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    RepairTicket ticket =
        ctx.outbox()
            .intend(
                renamed.key(),
                RepairOperation.CLOUDINARY_PUT,
                "rename in flight",
                WriteContext.INTENT_GRACE);
    return copy(source.get(), target.get(), renamed.version(), from.s3())
        .handleAsync(
            (meta, t) -> {
              if (t != null) {
                LOG.warn(
                    "rename to {}: S3 copy failed, Cloudinary's copy will be used: {}",
                    target.get(),
                    WriteContext.describe(target.get(), t));
                ctx.outbox().settle(ticket);
                return false;
              }
              record(renamed, format, meta, ticket);
              return true;
            },
            ctx.blocking());
  }

  /**
   * Copies S3's object of {@code source} to {@code target} with its digests, under the newer of
   * {@code renamedVersion} and the object's own version; completes with what was written.
   *
   * @param recorded the ledger's record of the source's S3 copy: its SHA-256 stands in for an
   *     object whose metadata has none (a streamed backfill copy), declared to S3, which refuses
   *     the put if it is not the bytes'
   */
  CompletableFuture<DocumentMeta> copy(
      DocumentKey source, DocumentKey target, long renamedVersion, S3Copy recorded) {
    return ctx.s3()
        .get(source, Optional.empty())
        .thenCompose(response -> copy(response, target, renamedVersion, recorded));
  }

  private CompletableFuture<DocumentMeta> copy(
      DocumentResponse response, DocumentKey target, long renamedVersion, S3Copy recorded) {
    DocumentMeta seen = response.meta();
    DocumentMeta meta =
        new DocumentMeta(
            seen.length(),
            seen.contentType(),
            seen.md5Hex(),
            recorded.sha256Of(seen),
            seen.version(),
            seen.lastModified());
    if (meta.length().isEmpty() || meta.md5Hex().isEmpty() || meta.sha256Hex().isEmpty()) {
      response.discard();
      return CompletableFuture.failedFuture(
          new IllegalStateException(target + ": S3 object without length or digests"));
    }
    // The newer of the two versions: S3's object may be ahead of what Cloudinary renamed.
    long version = Math.max(renamedVersion, meta.version().orElse(renamedVersion));
    PutRequest put =
        PutRequest.builder(meta.length().getAsLong(), response.body())
            .contentType(meta.contentType())
            .md5Hex(meta.md5Hex().get())
            .sha256Hex(meta.sha256Hex().get())
            .cloudinaryVersion(version)
            .build();
    return ctx.s3()
        .put(target, put)
        .thenApply(
            r ->
                new DocumentMeta(
                    meta.length(),
                    meta.contentType(),
                    meta.md5Hex(),
                    meta.sha256Hex(),
                    OptionalLong.of(version),
                    meta.lastModified()));
  }

  /**
   * The new key's row takes S3's object; Cloudinary is left alone when its renamed copy has the
   * same MD5, and otherwise gets S3's bytes from the {@code cld_put}, due now.
   */
  private void record(
      CloudinaryAsset renamed, String format, DocumentMeta copied, RepairTicket ticket) {
    String md5 = copied.md5Hex().orElseThrow();
    String sha256 = copied.sha256Hex().orElseThrow();
    LedgerKey key = renamed.key();
    CloudinaryAsset asset =
        new CloudinaryAsset(
            key, format, copied.version().orElseThrow(), md5, copied.length().orElseThrow());
    Transition recorded = ctx.documents().recordWrite(asset, md5, sha256);
    ctx.forget(key);
    if (recorded == Transition.APPLIED && md5.equals(renamed.etag())) {
      ctx.outbox().settle(ticket);
    } else {
      ctx.outbox()
          .fail(ticket, key + ": Cloudinary may hold an older copy, ledger said " + recorded);
    }
  }
}
