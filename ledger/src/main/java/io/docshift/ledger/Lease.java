package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A worker's claim on a document: nobody else claims it until {@code expiresAt}.
 *
 * @param owner the claiming worker's id
 * @param expiresAt when the claim lapses if the worker neither finishes nor releases it
 */
public record Lease(String owner, Instant expiresAt) {

  /** Validates that both parts are present. */
  public Lease {
    requireNonNull(owner, "owner");
    requireNonNull(expiresAt, "expiresAt");
  }
}
