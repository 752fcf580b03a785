package io.docshift.shadow;

import io.docshift.copier.CopyOutcome;
import io.docshift.copier.DocumentCopier;
import io.docshift.copier.Retrier;
import io.docshift.copier.Spool;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.retry.Backoff;
import io.docshift.core.retry.Sleeper;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreWaits;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.ledger.UpsertResult;
import io.docshift.stores.s3.S3ObjectInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code verify --repair}: puts S3 right through the one {@link DocumentCopier}, so with the
 * backfill's and the repair worker's safety rules: the listed asset is first upserted into the
 * ledger (never downgrading a version, never reviving a tombstone), then the copier replaces the
 * damaged or missing object conditionally ({@code If-Match} on the object it sees, {@code
 * If-None-Match: *} where there is none), leaves an object of a newer Cloudinary version alone,
 * refuses bytes Cloudinary now serves under another etag, settles {@code verified} only when the
 * MD5 equals Cloudinary's etag, and deletes its own copy again if a destroy won meanwhile. A delete
 * removes the S3 object of a document whose ledger row is still a tombstone.
 */
final class Recopy {
  /** Tries per step of a copy: the walk goes on, so a stubborn document waits for the next one. */
  private static final int ATTEMPTS = 3;

  /** What a repair did, or why it did nothing. */
  record Result(boolean done, String what) {}

  private final Documents documents;
  private final DocumentStore s3;
  private final Duration timeout;
  private final DocumentCopier copier;

  Recopy(
      Documents documents,
      DocumentStore cloudinary,
      DocumentStore s3,
      Duration timeout,
      Path spoolDir) {
    this.documents = documents;
    this.s3 = s3;
    this.timeout = timeout;
    Backoff backoff =
        Backoff.halfJitter(Duration.ofMillis(200), Duration.ofSeconds(2), new SplittableRandom());
    this.copier =
        new DocumentCopier(
            documents,
            cloudinary,
            s3,
            new Spool(spoolDir, 0, timeout),
            new Retrier(ATTEMPTS, backoff, Sleeper.system()),
            timeout);
  }

  /**
   * Copies the listed {@code asset} over a missing or damaged S3 object.
   *
   * @param current the S3 object as the walk saw it (its real ETag conditions the put)
   */
  Result copy(CloudinaryAsset asset, Optional<S3ObjectInfo> current) throws InterruptedException {
    UpsertResult upsert = documents.upsert(asset, UpsertOrigin.LISTING);
    if (upsert == UpsertResult.IGNORED_OLDER || upsert == UpsertResult.TOMBSTONE_KEPT) {
      return new Result(false, "the ledger knows better (" + upsert + ")");
    }
    Optional<DocumentRecord> row = documents.find(asset.key());
    if (row.isEmpty()) {
      return new Result(false, "no ledger row for " + asset.key());
    }
    return result(copier.replaceDamaged(row.get(), current.flatMap(S3ObjectInfo::etag)));
  }

  private static Result result(CopyOutcome outcome) {
    switch (outcome.kind()) {
      case COPIED:
        return new Result(
            true, "copied " + outcome.bytes() + " bytes from Cloudinary; ledger verified");
      case SKIPPED:
        boolean there = outcome.reason().equals(CopyOutcome.ALREADY_IN_S3);
        return new Result(there, describe(outcome));
      default:
        return new Result(false, describe(outcome));
    }
  }

  private static String describe(CopyOutcome outcome) {
    return outcome.detail().isEmpty()
        ? outcome.reason()
        : outcome.reason() + ": " + outcome.detail();
  }

  Result delete(LedgerKey ledgerKey, DocumentKey key) throws InterruptedException {
    boolean tombstone =
        documents.find(ledgerKey).map(r -> r.state() == S3State.DELETED).orElse(false);
    if (!tombstone) {
      return new Result(false, "no longer a tombstone in the ledger");
    }
    boolean existed = StoreWaits.await(s3.delete(key), timeout, Backend.S3, key);
    return new Result(true, existed ? "deleted the S3 object" : "already gone");
  }
}
