package io.docshift.proxy.copyonread;

import io.docshift.copier.ByteRate;
import io.docshift.copier.CopyOutcome;
import io.docshift.copier.DocumentCopier;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.CopyOnReadOutcome;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One copy on read, on a worker thread: reads the document's ledger row and hands it to the
 * backfill's {@link DocumentCopier} when S3 lacks it, within the byte budget.
 *
 * <p>Only a row in {@code absent} or {@code copied} is copied. No row at all is skipped: a row
 * needs the asset's version and etag, which a delivery answer does not reliably carry, and only the
 * Admin API's details would (within an hourly budget hot reads must not spend); the backfill's
 * listing writes those rows, or a dual-write does. A {@code verified} row has nothing to do, a
 * tombstone (a destroy, a rename, access control) must not be revived, and a {@code mismatch} is
 * the repair worker's. A read in another format than the stored original's (Cloudinary converts) is
 * not the original's bytes, so it is skipped too. The copier's own rules do the rest: conditional
 * put, verified only when the MD5 equals Cloudinary's etag, a newer dual-written object left alone,
 * a destroy meanwhile settled as a tombstone and its fresh copy deleted.
 */
final class ReadCopy implements CopyOnRead.Copy {
  private static final Logger LOG = LoggerFactory.getLogger(ReadCopy.class);

  private final Documents documents;
  private final DocumentCopier copier;
  private final ByteRate bytes;

  ReadCopy(Documents documents, DocumentCopier copier, ByteRate bytes) {
    this.documents = documents;
    this.copier = copier;
    this.bytes = bytes;
  }

  @Override
  public CopyOnReadOutcome copy(DocumentKey key) throws InterruptedException {
    Optional<DocumentRecord> found = documents.find(LedgerKey.of(key));
    if (found.isEmpty()) {
      LOG.debug("copy on read of {}: no ledger row", key);
      return CopyOnReadOutcome.SKIPPED;
    }
    DocumentRecord row = found.get();
    if (!copyable(key, row)) {
      LOG.debug("copy on read of {}: ledger row {} not copied", key, row.state());
      return CopyOnReadOutcome.SKIPPED;
    }
    if (!bytes.tryTake(row.asset().bytes())) {
      return CopyOnReadOutcome.DROPPED;
    }
    CopyOutcome outcome = copier.copy(row);
    if (outcome.kind() == CopyOutcome.Kind.FAILED || outcome.kind() == CopyOutcome.Kind.MISMATCH) {
      LOG.info("copy on read of {}: {} {}", key, outcome.reason(), outcome.detail());
    }
    return outcome(outcome);
  }

  /** S3 lacks the row's bytes, and the read was of the stored original. */
  private static boolean copyable(DocumentKey key, DocumentRecord row) {
    if (row.state() != S3State.ABSENT && row.state() != S3State.COPIED) {
      return false;
    }
    try {
      return DocumentCopier.documentKey(row.asset()).equals(key);
    } catch (IllegalArgumentException e) {
      return false; // a resource or delivery type DocShift does not migrate
    }
  }

  private static CopyOnReadOutcome outcome(CopyOutcome outcome) {
    switch (outcome.kind()) {
      case COPIED:
        return CopyOnReadOutcome.COPIED;
      case SKIPPED:
        return CopyOnReadOutcome.SKIPPED;
      case MISMATCH:
        return CopyOnReadOutcome.MISMATCH;
      default:
        return CopyOnReadOutcome.FAILED;
    }
  }
}
