package io.docshift.backfill;

import io.docshift.copier.CopyFailure;
import io.docshift.copier.DocumentCopier;
import io.docshift.copier.Retrier;
import io.docshift.copier.Spool;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.retry.Backoff;
import io.docshift.core.retry.Sleeper;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerException;
import io.docshift.ledger.RepairOutbox;
import io.docshift.ledger.RepairTask;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Applies one outbox row and sorts how it ended: the S3 operations go to {@link S3Repair}, the
 * Cloudinary ones to {@link CloudinaryRepair}; every failure becomes a classified {@link
 * RepairResult}, so the worker only decides between complete and retry. Thread-safe.
 */
final class RepairApplier {
  private static final int REPAIR_SPOOL_MEMORY_BYTES = 16 << 20;

  private final S3Repair s3Repair;
  private final CloudinaryRepair cloudinaryRepair;

  RepairApplier(S3Repair s3Repair, CloudinaryRepair cloudinaryRepair) {
    this.s3Repair = s3Repair;
    this.cloudinaryRepair = cloudinaryRepair;
  }

  /** The applier over these parts, with the backfill's copier, spool and retries. */
  static RepairApplier create(
      RepairOptions options, CopyParts parts, Sleeper sleeper, RandomGenerator random) {
    Duration timeout = options.documentTimeout();
    // A couple of quick in-call retries smooth over a dropped connection; longer outages are the
    // outbox backoff's job, so a worker thread never sleeps long.
    Retrier retrier =
        new Retrier(
            2, Backoff.halfJitter(Duration.ofMillis(200), Duration.ofSeconds(2), random), sleeper);
    // Repairs are few at a time: a small heap budget keeps most of them off the disk.
    Spool spool = new Spool(options.spoolDir(), REPAIR_SPOOL_MEMORY_BYTES, timeout);
    Documents documents = parts.ledger().documents();
    RepairOutbox outbox = parts.ledger().outbox();
    DocumentCopier copier = parts.copier(spool, retrier, timeout);
    DocumentStore cloudinary = parts.cloudinary();
    DocumentStore s3 = parts.s3();
    CloudinaryTruth truth =
        new CloudinaryTruth(documents, cloudinary, AdminApi.create(parts.account()), timeout);
    return new RepairApplier(
        new S3Repair(documents, outbox, s3, copier, truth, timeout),
        new CloudinaryRepair(documents, outbox, truth, cloudinary, s3, spool, retrier, timeout));
  }

  /**
   * @throws InterruptedException when the worker is stopping; the row is left to its claim's expiry
   */
  RepairResult apply(RepairTask task) throws InterruptedException {
    try {
      switch (task.operation()) {
        case PUT:
        case DELETE:
          return s3Repair.reconcile(task.key(), task.reason());
        case CLOUDINARY_PUT:
          return cloudinaryRepair.reconcile(task.key(), false);
        case CLOUDINARY_DELETE:
          return cloudinaryRepair.reconcile(task.key(), true);
        default:
          return RepairResult.failed(Outcome.LOCAL_ERROR, "unknown operation " + task.operation());
      }
    } catch (CopyFailure f) {
      return RepairResult.failed(f.outcome().outcome(), f.reason() + ": " + f.getMessage());
    } catch (StoreException e) {
      return RepairResult.failed(e.outcome(), e.getMessage());
    } catch (IllegalArgumentException e) { // InvalidDocumentKeyException among them
      return RepairResult.failed(Outcome.CLIENT_ERROR, "invalid_key: " + e.getMessage());
    } catch (LedgerException e) {
      return RepairResult.failed(Outcome.LOCAL_ERROR, "ledger: " + e.getMessage());
    } catch (RuntimeException e) {
      return RepairResult.failed(Outcome.LOCAL_ERROR, e.toString());
    }
  }
}
