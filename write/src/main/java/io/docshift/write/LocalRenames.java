package io.docshift.write;

import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.stores.cloudinary.CloudinarySigner;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code rename} in {@code S3_ONLY}, answered by DocShift from S3 and the ledger: Cloudinary never
 * got the documents written in this mode (or is retired), so it cannot rename them. DocShift checks
 * the signature itself, refuses as Cloudinary would (404 for an unknown {@code from_public_id}, 400
 * for an existing {@code to_public_id} without {@code overwrite}), copies S3's object to the new
 * key first — a failed copy is the client's error and changes nothing — then moves the ledger row,
 * deletes the old object (under a repair intent) and answers the renamed asset's JSON as an upload
 * answer, keeping its version, as Cloudinary does. Cloudinary's own copy, if it has one, is left as
 * it is (as a {@code destroy} in this mode leaves it).
 */
final class LocalRenames {
  private static final Set<String> TYPES = Set.of("upload", "private", "authenticated");

  private final WriteContext ctx;
  private final S3Deletes s3;
  private final S3Moves s3Moves;
  private final CloudinarySigner signer;

  LocalRenames(WriteContext ctx, S3Deletes s3) {
    this.ctx = ctx;
    this.s3 = s3;
    this.s3Moves = new S3Moves(ctx);
    this.signer = CloudinarySigner.of(ctx.account());
  }

  /**
   * @param viaCloudinary the Cloudinary-primary rename, for a document S3 holds no copy of (listed
   *     by the backfill, never copied): only Cloudinary has its bytes
   */
  CompletableFuture<ApiAnswer> rename(
      UploadCall call,
      Map<String, List<String>> params,
      Supplier<CompletableFuture<ApiAnswer>> viaCloudinary) {
    ctx.auth().verify(FormParams.signed(params));
    RenameParams r = RenameParams.required(params);
    if (!TYPES.contains(r.toType())) {
      throw new BadUpload(400, "Invalid to_type " + r.toType());
    }
    String cloud = ctx.account().cloudName();
    LedgerKey fromKey = r.fromKey(cloud, call.resourceType());
    LedgerKey toKey = r.toKey(cloud, call.resourceType());
    DocumentRecord row =
        live(fromKey).orElseThrow(() -> new BadUpload(404, "Resource not found - " + r.from()));
    if (!fromKey.equals(toKey) && live(toKey).isPresent() && !r.overwrite()) {
      throw new BadUpload(400, "to_public_id (" + r.to() + ") already exists");
    }
    if (row.state() != S3State.VERIFIED && row.state() != S3State.COPIED) {
      return viaCloudinary.get();
    }
    String format = row.asset().format();
    DocumentKey source = objectKey(fromKey, format);
    DocumentKey target = objectKey(toKey, format);
    if (fromKey.equals(toKey)) {
      return CompletableFuture.completedFuture(answer(call, target, row.asset().version(), row));
    }
    return s3Moves
        .copy(source, target, row.asset().version(), row.s3())
        .thenComposeAsync(meta -> moved(call, row, toKey, target, meta), ctx.blocking());
  }

  /** S3 holds the copy: the ledger moves the row, then the old object goes. */
  private CompletableFuture<ApiAnswer> moved(
      UploadCall call, DocumentRecord from, LedgerKey toKey, DocumentKey target, DocumentMeta m) {
    String md5 = m.md5Hex().orElseThrow();
    long version = m.version().orElseThrow();
    CloudinaryAsset asset =
        new CloudinaryAsset(toKey, from.asset().format(), version, md5, m.length().orElseThrow());
    ctx.documents().move(from.key(), asset, "renamed to " + toKey.publicId());
    ctx.documents().recordWrite(asset, md5, m.sha256Hex().orElseThrow());
    ctx.forget(toKey);
    DocumentRecord renamed = ctx.documents().find(toKey).orElseThrow();
    return s3.deleteObject(from.key(), from.asset().format(), Optional.empty())
        .thenApply(x -> answer(call, target, version, renamed));
  }

  private ApiAnswer answer(UploadCall call, DocumentKey key, long version, DocumentRecord row) {
    String md5 = row.asset().etag();
    // version_id is cut from the SHA-256; a row never copied to S3 has only Cloudinary's MD5.
    // The answer names no CRC-32C, so none is computed.
    String sha256 = row.s3().sha256() != null ? row.s3().sha256() : md5;
    Digests digests = new Digests(row.asset().bytes(), null, md5, sha256);
    Map<String, Object> json =
        UploadJson.of(
            key,
            version,
            digests,
            row.asset().bytes(),
            call.host(),
            ctx.account().apiKey(),
            null,
            signer);
    return ApiAnswer.json(200, json, Optional.of(Backend.S3), Outcome.SUCCESS);
  }

  private Optional<DocumentRecord> live(LedgerKey key) {
    return ctx.documents().find(key).filter(r -> r.state() != S3State.DELETED);
  }

  private static DocumentKey objectKey(LedgerKey key, String format) {
    return S3Deletes.documentKey(key, format)
        .orElseThrow(() -> new BadUpload(400, "Invalid public_id " + key.publicId()));
  }
}
