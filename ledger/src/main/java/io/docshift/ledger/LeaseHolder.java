package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A worker holding unexpired leases, as {@link Documents#leaseHolders} counts them.
 *
 * @param owner the worker's id
 * @param documents how many rows it holds
 * @param latestExpiry when the last of its leases lapses unless it renews them
 */
public record LeaseHolder(String owner, long documents, Instant latestExpiry) {

  /** Validates that the parts are present. */
  public LeaseHolder {
    requireNonNull(owner, "owner");
    requireNonNull(latestExpiry, "latestExpiry");
  }
}
