package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One pending repair, as claimed from the {@link RepairOutbox}.
 *
 * @param id row id
 * @param key the document to repair
 * @param operation what to do to S3
 * @param reason why the repair was queued (the latest reason when queued more than once)
 * @param revision bumped each time the same repair is queued again; {@link RepairOutbox#complete}
 *     uses it to notice a request that arrived while this one was in flight
 * @param attempts failed attempts so far
 * @param nextAttemptAt when the repair is due (after a claim: when the claim lapses)
 * @param createdAt when the repair was first queued
 * @param lastError the last attempt's failure, or null
 */
public record RepairTask(
    long id,
    LedgerKey key,
    RepairOperation operation,
    String reason,
    int revision,
    int attempts,
    Instant nextAttemptAt,
    Instant createdAt,
    String lastError) {

  /** Validates that the non-null parts are present. */
  public RepairTask {
    requireNonNull(key, "key");
    requireNonNull(operation, "operation");
    requireNonNull(reason, "reason");
    requireNonNull(nextAttemptAt, "nextAttemptAt");
    requireNonNull(createdAt, "createdAt");
  }
}
