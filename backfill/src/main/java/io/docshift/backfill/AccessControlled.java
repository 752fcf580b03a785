package io.docshift.backfill;

import io.docshift.copier.CopyOutcome;
import io.docshift.copier.DocumentCopier;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.LogIds;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import io.docshift.core.store.StoreWaits;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listed assets whose {@code access_mode} is {@code authenticated}: Cloudinary answers their
 * unsigned delivery URL with 401, S3 would serve it to anyone, so they are never copied. The ledger
 * row becomes a tombstone ({@code Documents.markAccessControlled}; a row of a newer version,
 * written through DocShift since the listing, is left alone), the other instances' read caches are
 * told (change feed), and an S3 copy made while the asset was public is deleted; a delete that
 * fails is queued in the outbox as a {@code delete} repair (the tombstone makes the repair delete).
 * Each asset counts as skipped, reason {@value #REASON}.
 */
final class AccessControlled {
  static final String REASON = "access_controlled";
  private static final Logger LOG = LoggerFactory.getLogger(AccessControlled.class);

  private final Ledger ledger;
  private final DocumentStore s3;
  private final Duration timeout;
  private final Tally tally;

  AccessControlled(Ledger ledger, DocumentStore s3, Duration timeout, Tally tally) {
    this.ledger = ledger;
    this.s3 = s3;
    this.timeout = timeout;
    this.tally = tally;
  }

  /** Whether a listing entry is access-controlled. */
  static boolean applies(ListedResource resource) {
    return "authenticated".equals(resource.accessMode());
  }

  /** Tombstones {@code asset} and removes its S3 copy. */
  void handle(CloudinaryAsset asset) throws InterruptedException {
    Optional<DocumentRecord> before =
        ledger.documents().markAccessControlled(asset, DocumentRecord.ACCESS_CONTROLLED);
    if (before.isPresent() && before.get().asset().version() > asset.version()) {
      return; // a newer write through DocShift; its own access mode decides
    }
    if (before.isEmpty() || before.get().state() != S3State.DELETED) {
      for (DocumentKey key : named(asset, before)) {
        delete(asset, key);
      }
    }
    tally.record(CopyOutcome.skipped(REASON, "access mode authenticated"));
  }

  /** The S3 objects of the listed asset and, when its format differs, of the row. */
  private static Set<DocumentKey> named(CloudinaryAsset asset, Optional<DocumentRecord> before) {
    Set<DocumentKey> named = new LinkedHashSet<>();
    for (CloudinaryAsset a : before.map(r -> List.of(asset, r.asset())).orElse(List.of(asset))) {
      try {
        named.add(DocumentCopier.documentKey(a));
      } catch (IllegalArgumentException e) {
        // not a key DocShift migrates (or a format unknown): no S3 object of it
      }
    }
    return named;
  }

  private void delete(CloudinaryAsset asset, DocumentKey key) throws InterruptedException {
    try {
      StoreWaits.await(s3.delete(key), timeout, Backend.S3, key);
    } catch (StoreException e) {
      // The error may quote the key: logged redacted, without the stack that repeats it.
      LOG.warn(
          "access-controlled {}: S3 delete failed, queued: {}",
          LogIds.of(asset.key()),
          LogIds.redact(e.toString(), asset.key().publicId()));
      ledger.outbox().enqueue(asset.key(), RepairOperation.DELETE, "access mode authenticated");
    }
  }
}
