package io.docshift.shadow;

import static java.util.Objects.requireNonNull;

import io.docshift.ledger.Documents;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.Mismatches;
import io.docshift.ledger.RepairOutbox;

/**
 * The parts of the ledger a confirmed shadow mismatch changes, and only those.
 *
 * @param mismatches where the capped mismatch sample is recorded
 * @param documents whose S3 state is set to {@code mismatch}
 * @param outbox where the repair is queued
 */
public record ShadowLedger(Mismatches mismatches, Documents documents, RepairOutbox outbox) {
  public ShadowLedger {
    requireNonNull(mismatches, "mismatches");
    requireNonNull(documents, "documents");
    requireNonNull(outbox, "outbox");
  }

  /** The shadow reads' parts of {@code ledger}. */
  public static ShadowLedger of(Ledger ledger) {
    return new ShadowLedger(ledger.mismatches(), ledger.documents(), ledger.outbox());
  }
}
