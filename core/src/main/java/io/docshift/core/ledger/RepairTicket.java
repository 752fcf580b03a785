package io.docshift.core.ledger;

/**
 * A repair-outbox row written as an intent before a dual-write starts (see {@link
 * RepairOutbox#intend}). Settling it removes the row unless the same repair was queued again
 * meanwhile.
 *
 * @param id the row's id
 * @param revision the row's revision when the intent was written
 */
public record RepairTicket(long id, int revision) {}
