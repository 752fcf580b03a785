package io.docshift.backfill;

import io.docshift.copier.CopyFailure;
import io.docshift.copier.Heads;
import io.docshift.copier.Retrier;
import io.docshift.copier.Spool;
import io.docshift.copier.Spooled;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.LogIds;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.StoreWaits;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairOutbox;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code CLOUDINARY_PUT} and {@code CLOUDINARY_DELETE} rows: makes Cloudinary agree with
 * S3, the primary for these operations (S3-primary write modes).
 *
 * <ol>
 *   <li>A {@code deleted} tombstone wins: the asset is destroyed in Cloudinary ({@code not found}
 *       counts as done) and S3 is emptied too — unless S3 holds an object written clearly after the
 *       tombstone: then the row takes it and Cloudinary gets it.
 *   <li>S3 holds nothing: a {@code CLOUDINARY_DELETE} destroys and tombstones, unless a {@code put}
 *       of the live row is queued (S3 is still to take Cloudinary's copy, e.g. of a rename onto the
 *       id: the destroy predates it); a {@code CLOUDINARY_PUT} leaves Cloudinary alone (counted
 *       {@code not_found}), since without a tombstone nothing says the document was destroyed, and
 *       Cloudinary may hold its only copy.
 *   <li>S3 holds the object: Cloudinary gets it unless it already holds the same MD5. This also
 *       answers a {@code CLOUDINARY_DELETE} whose destroy never reached S3: the document lives.
 * </ol>
 *
 * An image or video the ledger has no format for (an S3-primary upload that S3 refused, or one that
 * crashed before its ledger write) takes the format from Cloudinary's details, since the S3
 * object's name needs it; when Cloudinary has no such asset, a destroy has nothing left to do.
 *
 * <p>The object is spooled to disk first (hashed as it streams), so a failed upload is retried
 * without reading S3 again and no S3 response is left half-read when Cloudinary refuses the upload
 * early.
 */
final class CloudinaryRepair {
  private static final Logger LOG = LoggerFactory.getLogger(CloudinaryRepair.class);

  private final Documents documents;
  private final RepairOutbox outbox;
  private final CloudinaryTruth truth;
  private final DocumentStore cloudinary;
  private final DocumentStore s3;
  private final Spool spool;
  private final Retrier retrier;
  private final Duration timeout;

  CloudinaryRepair(
      Documents documents,
      RepairOutbox outbox,
      CloudinaryTruth truth,
      DocumentStore cloudinary,
      DocumentStore s3,
      Spool spool,
      Retrier retrier,
      Duration timeout) {
    this.documents = documents;
    this.outbox = outbox;
    this.truth = truth;
    this.cloudinary = cloudinary;
    this.s3 = s3;
    this.spool = spool;
    this.retrier = retrier;
    this.timeout = timeout;
  }

  /**
   * @param destroy whether the row asked for a destroy ({@code CLOUDINARY_DELETE})
   */
  RepairResult reconcile(LedgerKey key, boolean destroy) throws CopyFailure, InterruptedException {
    Optional<DocumentRecord> row = documents.find(key);
    String format = row.map(r -> r.asset().format()).orElse(null);
    if (row.isPresent() && row.get().state() == S3State.DELETED) {
      if (!revivedFromS3(row.get(), format)) {
        return buried(key, format);
      }
      row = documents.find(key);
    }
    if (resourceType(key).formatOutsidePublicId() && format == null) {
      Optional<ListedResource> inCloudinary = truth.details(key);
      if (inCloudinary.isEmpty() && destroy) {
        return RepairResult.done("Cloudinary holds no such asset");
      }
      format = inCloudinary.map(ListedResource::format).orElse(null);
    }
    DocumentKey s3Key = s3Key(key, format);
    Optional<DocumentMeta> inS3 = Heads.find(s3, s3Key, timeout);
    if (inS3.isPresent()) {
      RepairResult copied = copy(s3Key, inS3.get());
      named(key, format, inS3.get());
      return copied;
    }
    if (!destroy) {
      LOG.warn(
          "repair of {}: S3 holds nothing and the ledger no tombstone; Cloudinary kept",
          LogIds.of(key));
      return RepairResult.nothingToDo("S3 holds nothing: Cloudinary left as it is");
    }
    if (row.isPresent() && outbox.queued(key, RepairOperation.PUT)) {
      // A live row whose S3 object is still to come from Cloudinary (a rename onto the id while
      // S3 lacked the source, a read that fell back): the destroy queued before it is stale, and
      // applying it would take the only copy left of what an acknowledged write put there.
      LOG.warn(
          "repair of {}: a put from Cloudinary is queued; the earlier destroy is not applied",
          LogIds.of(key));
      return RepairResult.nothingToDo("a put from Cloudinary is queued: not destroyed");
    }
    RepairResult destroyed = destroy(cloudinaryKey(key, format));
    if (row.isPresent()) {
      documents.markDeleted(key, "repair: destroyed, S3 holds nothing");
    }
    return destroyed;
  }

  /**
   * Whether S3 holds an object written clearly after the tombstone, and the row now takes it: an
   * S3-primary upload after a destroy whose process died before its ledger write (its {@code
   * cld_put} intent is this row). Left alone, the tombstone would empty Cloudinary while S3, the
   * primary, keeps the upload. S3's {@code Last-Modified} dates the write; within {@link
   * S3Repair#CLOCK_MARGIN_SECONDS} of the tombstone the order is unknown and the tombstone wins.
   */
  private boolean revivedFromS3(DocumentRecord tombstone, String format)
      throws CopyFailure, InterruptedException {
    if (resourceType(tombstone.key()).formatOutsidePublicId() && format == null) {
      return false;
    }
    Optional<DocumentMeta> held = Heads.find(s3, s3Key(tombstone.key(), format), timeout);
    long deletedAt = tombstone.updatedAt().getEpochSecond();
    boolean later =
        held.flatMap(DocumentMeta::lastModified)
            .filter(at -> at.getEpochSecond() > deletedAt + S3Repair.CLOCK_MARGIN_SECONDS)
            .isPresent();
    Optional<String> sha256 = later ? tombstone.s3().sha256Of(held.get()) : Optional.empty();
    Optional<CloudinaryAsset> asset =
        sha256.isPresent() ? asset(tombstone.key(), format, held.get()) : Optional.empty();
    if (asset.isEmpty()) {
      return false;
    }
    LOG.info(
        "repair of {}: S3 holds an upload newer than the tombstone; the row takes it",
        LogIds.of(tombstone.key()));
    documents.upsert(asset.get(), UpsertOrigin.ORDERED_WRITE);
    documents.recordWrite(asset.get(), held.get().md5Hex().orElseThrow(), sha256.get());
    return true;
  }

  /**
   * Once Cloudinary holds S3's object, the row names it too: an S3-primary writer that died between
   * its store writes and its ledger write leaves the row naming the bytes before (or no row), and
   * reads and {@code verify} would take both stores' new bytes for a mismatch. A newer version the
   * row knows is kept (the ledger's guard): the row then stops being trusted instead. The object's
   * SHA-256 is its metadata's, or, for a streamed copy (none in its metadata), the row's when the
   * row recorded the object's MD5; an object with neither is not named.
   */
  private void named(LedgerKey key, String format, DocumentMeta meta) {
    Optional<DocumentRecord> row = documents.find(key);
    Optional<String> sha256 = row.map(r -> r.s3().sha256Of(meta)).orElseGet(() -> meta.sha256Hex());
    boolean namesIt =
        row.isPresent()
            && row.get().state() == S3State.VERIFIED
            && sha256.equals(Optional.ofNullable(row.get().s3().sha256()));
    Optional<CloudinaryAsset> asset =
        sha256.isPresent() ? asset(key, format, meta) : Optional.empty();
    if (!namesIt && asset.isPresent()) {
      documents.recordWrite(asset.get(), meta.md5Hex().orElseThrow(), sha256.get());
    }
  }

  /**
   * The asset S3's object is, from the MD5 and version DocShift's writes put on it; empty for an
   * object without them (nothing to name it by).
   */
  private static Optional<CloudinaryAsset> asset(LedgerKey key, String format, DocumentMeta meta) {
    if (meta.md5Hex().isEmpty() || meta.length().isEmpty()) {
      return Optional.empty();
    }
    Optional<Long> version =
        meta.version().isPresent()
            ? Optional.of(meta.version().getAsLong())
            : meta.lastModified().map(Instant::getEpochSecond);
    return version.map(
        v -> new CloudinaryAsset(key, format, v, meta.md5Hex().get(), meta.length().getAsLong()));
  }

  /**
   * The tombstone won: the asset goes from Cloudinary and from S3. S3 can still hold an object when
   * an upload whose writer died before its ledger write reached S3 within the clock margin of the
   * tombstone (their order unknown): destroying only Cloudinary's copy would leave the stores
   * holding different documents with no row left to reconcile them. An image or video whose format
   * nobody knows has no S3 name; {@code verify} reports such an orphan.
   */
  private RepairResult buried(LedgerKey key, String format)
      throws CopyFailure, InterruptedException {
    Optional<RepairResult> revived = S3Repair.revivedMeanwhile(documents, key);
    if (revived.isPresent()) {
      return revived.get();
    }
    RepairResult destroyed = destroy(cloudinaryKey(key, format));
    if (resourceType(key).formatOutsidePublicId() && format == null) {
      return destroyed;
    }
    DocumentKey s3Key = s3Key(key, format);
    boolean existed = StoreWaits.await(s3.delete(s3Key), timeout, Backend.S3, s3Key);
    return existed ? RepairResult.done(destroyed.detail() + "; S3 object deleted") : destroyed;
  }

  private RepairResult destroy(DocumentKey key) throws InterruptedException {
    boolean existed = StoreWaits.await(cloudinary.delete(key), timeout, Backend.CLOUDINARY, key);
    return RepairResult.done(existed ? "destroyed in Cloudinary" : "Cloudinary held nothing");
  }

  private RepairResult copy(DocumentKey key, DocumentMeta inS3)
      throws CopyFailure, InterruptedException {
    Optional<String> md5 = inS3.md5Hex();
    Optional<String> held = Heads.find(cloudinary, key, timeout).flatMap(DocumentMeta::md5Hex);
    if (md5.isPresent() && md5.equals(held)) {
      return RepairResult.done("Cloudinary already holds S3's object");
    }
    try (Spooled spooled = retrier.run(last -> download(key, md5, last))) {
      retrier.run(
          last ->
              StoreWaits.await(
                  cloudinary.put(key, request(spooled)), timeout, Backend.CLOUDINARY, key));
      return RepairResult.done("uploaded " + spooled.length() + " bytes to Cloudinary");
    }
  }

  /** Spools S3's object; bytes that differ from its recorded MD5 are fetched again. */
  private Spooled download(DocumentKey key, Optional<String> md5, boolean last)
      throws CopyFailure, InterruptedException {
    Spooled spooled = spool.fetch(s3, key);
    if (md5.isPresent() && !md5.get().equals(spooled.md5())) {
      spooled.close();
      String detail = key + ": S3 sent md5 " + spooled.md5() + ", recorded " + md5.get();
      throw last
          ? CopyFailure.permanent("s3_corrupted", detail)
          : CopyFailure.retryable("s3_download_corrupted", detail, Outcome.CHECKSUM_MISMATCH);
    }
    return spooled;
  }

  private static PutRequest request(Spooled spooled) {
    return PutRequest.builder(spooled.length(), spooled.body())
        .contentType(spooled.source().contentType())
        .md5Hex(spooled.md5())
        .build();
  }

  /** Cloudinary names an asset without its format, so a destroy never needs it. */
  private static DocumentKey cloudinaryKey(LedgerKey key, String format) throws CopyFailure {
    ResourceType rt = resourceType(key);
    return documentKey(key, rt, rt.formatOutsidePublicId() ? format : null);
  }

  private static DocumentKey s3Key(LedgerKey key, String format) throws CopyFailure {
    ResourceType rt = resourceType(key);
    if (rt.formatOutsidePublicId() && format == null) {
      throw CopyFailure.permanent(
          "format_unknown",
          key + ": neither the ledger nor Cloudinary knows the format: the S3 object has no name");
    }
    return documentKey(key, rt, rt.formatOutsidePublicId() ? format : null);
  }

  private static ResourceType resourceType(LedgerKey key) throws CopyFailure {
    return ResourceType.fromWire(key.resourceType())
        .orElseThrow(() -> CopyFailure.permanent("invalid_key", key + ": resource type"));
  }

  private static DocumentKey documentKey(LedgerKey key, ResourceType rt, String format)
      throws CopyFailure {
    DeliveryType type =
        DeliveryType.fromWire(key.type())
            .orElseThrow(() -> CopyFailure.permanent("invalid_key", key + ": delivery type"));
    return DocumentKey.of(key.cloud(), rt, type, key.publicId(), format);
  }
}
