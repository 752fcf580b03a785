package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A document's ledger row as a writer saw it when it started, under this instance's per-document
 * queue. If the row is still exactly that when the writer records its result, nothing else changed
 * the document in between: the write is ordered after everything the row says, including a
 * tombstone whose version is the same or higher (Cloudinary's versions are upload times in seconds,
 * and a destroy resets them, so the upload after a destroy can carry a version no higher than the
 * destroyed asset's). A row that moved meanwhile (another instance, the repair worker) gives no
 * such order, and the strict version rules apply.
 *
 * @param key the document, or null when the writer could not name it up front
 * @param row its row then, empty when the ledger had none
 */
public record RowSeen(LedgerKey key, Optional<DocumentRecord> row) {
  public RowSeen {
    requireNonNull(row, "row");
  }

  /** A writer that saw nothing: no order is known. */
  public static RowSeen unknown() {
    return new RowSeen(null, Optional.empty());
  }

  /** Whether {@code now}, the row of {@code key} at settlement, is still the row seen. */
  boolean unchanged(LedgerKey key, Optional<DocumentRecord> now) {
    return this.key != null && this.key.equals(key) && row.equals(now);
  }
}
