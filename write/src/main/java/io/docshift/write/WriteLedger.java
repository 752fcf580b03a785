package io.docshift.write;

import static java.util.Objects.requireNonNull;

import io.docshift.ledger.DeleteTokenRows;
import io.docshift.ledger.Documents;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.RepairOutbox;
import io.docshift.ledger.UploadSessions;

/**
 * The parts of the ledger the write path uses, and only those: the documents' rows, the repair
 * outbox, the sessions of chunked uploads shared across instances, and the delete tokens it issues.
 *
 * @param documents the documents' rows and their S3 state
 * @param outbox repairs queued when a secondary write failed or is due
 * @param uploads the chunks of {@code upload_large} sessions (fleet-wide assembly)
 * @param deleteTokens the {@code delete_token}s DocShift issued, for {@code delete_by_token}
 */
public record WriteLedger(
    Documents documents,
    RepairOutbox outbox,
    UploadSessions uploads,
    DeleteTokenRows deleteTokens) {
  public WriteLedger {
    requireNonNull(documents, "documents");
    requireNonNull(outbox, "outbox");
    requireNonNull(uploads, "uploads");
    requireNonNull(deleteTokens, "deleteTokens");
  }

  /** The write path's parts of {@code ledger}. */
  public static WriteLedger of(Ledger ledger) {
    return new WriteLedger(
        ledger.documents(), ledger.outbox(), ledger.uploads(), ledger.deleteTokens());
  }
}
