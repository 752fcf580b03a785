package io.docshift.ledger;

/**
 * A repair-outbox row written as an intent before a dual-write starts (see {@link
 * RepairOutbox#intend}). Settling it removes the row only when this writer had it to itself: no
 * other writer of the document was in flight when it was written, and none intended since.
 *
 * @param id the row's id
 * @param revision the row's revision when the intent was written
 * @param key the document
 * @param operation the repair the row stands for
 * @param shared whether the row already existed when the intent was written (another writer in
 *     flight, or an earlier repair still due)
 */
public record RepairTicket(
    long id, int revision, LedgerKey key, RepairOperation operation, boolean shared) {}
