package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One worker's unexpired leases, as {@link Documents#workers} lists them for operators.
 *
 * @param owner the worker's id (a backfill or verify run)
 * @param documents how many rows it holds
 * @param since the oldest last change among those rows: when it claimed them, for rows it has not
 *     written since (a claim does not record its own time)
 * @param nextExpiry when its first lease lapses unless renewed
 * @param lastExpiry when its last lease lapses unless renewed
 */
public record WorkerLeases(
    String owner, long documents, Instant since, Instant nextExpiry, Instant lastExpiry) {

  /** Validates that the parts are present. */
  public WorkerLeases {
    requireNonNull(owner, "owner");
    requireNonNull(since, "since");
    requireNonNull(nextExpiry, "nextExpiry");
    requireNonNull(lastExpiry, "lastExpiry");
  }
}
