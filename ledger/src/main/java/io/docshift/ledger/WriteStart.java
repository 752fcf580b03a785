package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

/**
 * A dual-write's start, committed in one transaction ({@link Documents#startWrite}): the document's
 * row as the writer saw it, and the {@link RepairOperation#PUT} intent it settles once both stores
 * hold the write (or that the repair worker takes up if the writer dies).
 *
 * @param seen the row before either store was written
 * @param ticket the committed intent
 */
public record WriteStart(RowSeen seen, RepairTicket ticket) {
  public WriteStart {
    requireNonNull(seen, "seen");
    requireNonNull(ticket, "ticket");
  }
}
