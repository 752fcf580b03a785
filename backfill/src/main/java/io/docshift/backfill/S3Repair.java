package io.docshift.backfill;

import io.docshift.copier.CopyFailure;
import io.docshift.copier.CopyOutcome;
import io.docshift.copier.DocumentCopier;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.LogIds;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreWaits;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.IntentReason;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairOutbox;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code PUT} and {@code DELETE} rows: makes S3 agree with Cloudinary, the primary for
 * these operations. Both are the same idempotent reconciliation, because a row may come from a
 * write that crashed at any point, so what it asked for is a hint and the stores are the truth:
 *
 * <ol>
 *   <li>A {@code deleted} tombstone wins: S3 is emptied, nothing is copied, even if Cloudinary
 *       still has the asset (its {@code cld_delete} may be queued) — unless Cloudinary's asset was
 *       uploaded after the removal: then the row takes it and it is copied.
 *   <li>Cloudinary has no such asset ({@link CloudinaryTruth}, Admin-API confirmed): the row
 *       becomes a tombstone, then S3 is emptied. A row the ledger never had is tombstoned too.
 *   <li>Otherwise S3 gets Cloudinary's current original through the backfill's {@link
 *       DocumentCopier} (conditional put, SHA-256 checksum, MD5 equal to the etag, ledger {@code
 *       verified}); a missing row is first upserted from the Admin API's details.
 * </ol>
 *
 * So a {@code DELETE} deletes only when the ledger or Cloudinary says the asset is gone: a delete
 * intent whose destroy never reached Cloudinary must not remove the only migrated copy of a live
 * document, nor tombstone it.
 */
final class S3Repair {
  private static final Logger LOG = LoggerFactory.getLogger(S3Repair.class);
  private static final int MAX_PASSES = 3;

  /** Seconds between a tombstone and a Cloudinary upload under which their order is unknown. */
  static final long CLOCK_MARGIN_SECONDS = 2;

  /** Copy results that mean the ledger row disagrees with a store: ask Cloudinary again. */
  private static final Set<String> STALE_ROW =
      Set.of("source_changed", "s3_newer", "stale_version");

  private final Documents documents;
  private final RepairOutbox outbox;
  private final DocumentStore s3;
  private final DocumentCopier copier;
  private final CloudinaryTruth truth;
  private final Duration timeout;

  S3Repair(
      Documents documents,
      RepairOutbox outbox,
      DocumentStore s3,
      DocumentCopier copier,
      CloudinaryTruth truth,
      Duration timeout) {
    this.documents = documents;
    this.outbox = outbox;
    this.s3 = s3;
    this.copier = copier;
    this.truth = truth;
    this.timeout = timeout;
  }

  /**
   * @param reason the outbox row's reason: a dual-write's intent names the S3 object's format, for
   *     a row that cannot name it, and a rename's intent on its new key the rename's time ({@link
   *     IntentReason})
   */
  RepairResult reconcile(LedgerKey key, String reason) throws CopyFailure, InterruptedException {
    Optional<String> format = IntentReason.format(reason);
    Optional<Instant> renamedAt = IntentReason.renamedAt(reason);
    boolean stale = false;
    CopyOutcome last = null;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      Optional<DocumentRecord> row = documents.find(key);
      if (row.isPresent() && row.get().state() == S3State.DELETED) {
        if (!revivedByLaterUpload(row.get(), renamedAt)) {
          Optional<RepairResult> revived = revivedMeanwhile(documents, key);
          return revived.isPresent() ? revived.get() : emptyS3(row.get().asset(), format);
        }
        row = documents.find(key);
      }
      Optional<DocumentRecord> current = truth.current(key, row, stale);
      if (current.isEmpty()) {
        documents.markDeleted(key, "repair: Cloudinary has no such asset");
        return emptyS3(documents.find(key).map(DocumentRecord::asset).orElseThrow(), format);
      }
      if (current.get().state() == S3State.DELETED) {
        return emptyS3(current.get().asset(), format);
      }
      // After a stale pass the row is Cloudinary's word (Admin API details): an S3 object that
      // claims a newer version with other bytes is then a leftover from before a destroy, unless
      // a cld_put is queued (an S3-primary write Cloudinary has not caught up with yet).
      boolean confirmed = stale && !outbox.queued(key, RepairOperation.CLOUDINARY_PUT);
      last = copier.copy(current.get(), confirmed);
      Optional<RepairResult> result = settled(last);
      if (result.isPresent()) {
        return result.get();
      }
      stale = STALE_ROW.contains(last.reason());
    }
    Outcome outcome = last.outcome() == Outcome.SUCCESS ? Outcome.LOCAL_ERROR : last.outcome();
    return RepairResult.failed(
        outcome, "unsettled after " + MAX_PASSES + " passes: " + describe(last));
  }

  /**
   * Whether Cloudinary holds an upload made after the tombstone was written, and the row now takes
   * it: a Cloudinary-first write (an unsigned upload, say) that reached Cloudinary after a destroy
   * and whose process died before its ledger write. Left alone, the tombstone would keep S3 empty
   * while Cloudinary, the primary, serves the document.
   *
   * <p>Cloudinary's version is the upload's second, so an upload clearly later than the tombstone
   * (beyond {@link #CLOCK_MARGIN_SECONDS}) always revives it. Within the margin the clocks cannot
   * order them, and the outbox does: every removal either completes in Cloudinary before its
   * tombstone is written (Cloudinary-first) or queues its {@code cld_delete} before the tombstone
   * (S3-first). So with no {@code cld_delete} queued, an asset Cloudinary holds was uploaded after
   * the removal and revives the row; with one queued, the tombstone wins and Cloudinary follows it.
   * A clearly older asset, an access-controlled tombstone or asset never revive (those are kept out
   * of S3 on purpose).
   *
   * <p>A rename onto the key, committed as an intent after the tombstone ({@code renamedAt}),
   * revives it the same way, whatever the asset's version: Cloudinary keeps a renamed asset's
   * version, which may well be older than the tombstone. With no {@code cld_delete} queued, the
   * asset Cloudinary holds under the key is then the renamed one, not one the tombstone removed.
   */
  private boolean revivedByLaterUpload(DocumentRecord tombstone, Optional<Instant> renamedAt)
      throws CopyFailure, InterruptedException {
    if (tombstone.accessControlled()) {
      return false;
    }
    Optional<ListedResource> held = truth.details(tombstone.key());
    if (held.isEmpty() || AccessControlled.applies(held.get())) {
      return false;
    }
    CloudinaryAsset asset = held.get().asset(tombstone.key().cloud());
    long deletedAt = tombstone.updatedAt().getEpochSecond();
    boolean later = asset.version() > deletedAt + CLOCK_MARGIN_SECONDS;
    boolean renamedOnto = renamedAt.filter(at -> !at.isBefore(tombstone.updatedAt())).isPresent();
    boolean unordered =
        (renamedOnto || asset.version() >= deletedAt - CLOCK_MARGIN_SECONDS)
            && !destroyed(tombstone.asset(), asset)
            && !outbox.queued(tombstone.key(), RepairOperation.CLOUDINARY_DELETE);
    if (!later && !unordered) {
      return false;
    }
    LOG.info(
        "repair of {}: Cloudinary holds {} made after the tombstone; the row takes it",
        LogIds.of(tombstone.key()),
        renamedOnto ? "an asset renamed onto the key" : "an upload");
    documents.upsert(asset, UpsertOrigin.ORDERED_WRITE);
    return true;
  }

  /** Whether {@code held} is the very asset the tombstone removed (same version and bytes). */
  private static boolean destroyed(CloudinaryAsset removed, CloudinaryAsset held) {
    return removed.version() == held.version() && Objects.equals(removed.etag(), held.etag());
  }

  /** The repair's result, or empty when another pass should look again. */
  private static Optional<RepairResult> settled(CopyOutcome copy) {
    switch (copy.kind()) {
      case COPIED:
        return Optional.of(RepairResult.done("copied " + copy.bytes() + " bytes"));
      case MISMATCH:
      case FAILED:
        if (copy.reason().equals("source_changed")) {
          return Optional.empty();
        }
        return Optional.of(RepairResult.failed(copy.outcome(), describe(copy)));
      default:
        boolean again = copy.reason().equals("destroyed") || STALE_ROW.contains(copy.reason());
        return again ? Optional.empty() : Optional.of(RepairResult.done(describe(copy)));
    }
  }

  private static String describe(CopyOutcome copy) {
    return copy.detail().isEmpty() ? copy.reason() : copy.reason() + ": " + copy.detail();
  }

  /**
   * A result when the tombstone this repair read is gone now: a write on another instance revived
   * the row while the repair looked at the stores (on this instance the repair holds the document's
   * turn, so none can). Burying it then would delete what that writer just acknowledged; the
   * writer's own intents, if it failed, reconcile the stores. Read again just before a removal.
   */
  static Optional<RepairResult> revivedMeanwhile(Documents documents, LedgerKey key) {
    boolean tombstone = documents.find(key).map(r -> r.state() == S3State.DELETED).orElse(true);
    return tombstone
        ? Optional.empty()
        : Optional.of(
            RepairResult.nothingToDo("the row was revived meanwhile: left to its writer"));
  }

  /** Makes sure S3 holds nothing for the asset. */
  private RepairResult emptyS3(CloudinaryAsset asset, Optional<String> format)
      throws InterruptedException {
    Optional<DocumentKey> key =
        s3Key(asset).or(() -> format.flatMap(f -> s3Key(withFormat(asset, f))));
    if (key.isEmpty()) {
      // Only a tombstone of a document the ledger never saw lacks the format. An S3 object can
      // exist then only if a dual-write crashed between its S3 put and its ledger write; its intent
      // names the format, but a later reason replaced that, and with Cloudinary's asset gone
      // nothing else can name it: retrying would never succeed. Such an orphan is never served
      // (the row is no longer verifiable); verify reports it.
      LOG.warn("repair of {}: format unknown, no S3 object name to delete", LogIds.of(asset.key()));
      return RepairResult.nothingToDo("format unknown: no S3 object name to delete");
    }
    boolean existed = StoreWaits.await(s3.delete(key.get()), timeout, Backend.S3, key.get());
    return RepairResult.done(existed ? "deleted the S3 object" : "S3 held nothing");
  }

  private static CloudinaryAsset withFormat(CloudinaryAsset asset, String format) {
    return new CloudinaryAsset(asset.key(), format, asset.version(), asset.etag(), asset.bytes());
  }

  /** The S3 object's key, empty when an image or video format is unknown. */
  static Optional<DocumentKey> s3Key(CloudinaryAsset asset) {
    boolean needsFormat =
        ResourceType.fromWire(asset.key().resourceType())
            .map(ResourceType::formatOutsidePublicId)
            .orElse(false);
    if (needsFormat && asset.format() == null) {
      return Optional.empty();
    }
    return Optional.of(DocumentCopier.documentKey(asset));
  }
}
