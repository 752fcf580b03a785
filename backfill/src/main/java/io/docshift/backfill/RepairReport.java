package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What one drain of the repair outbox did ({@link RepairWorker#runOnce()}).
 *
 * @param applied rows whose repair was applied and completed
 * @param failed rows whose repair failed and was rescheduled with backoff
 * @param remaining rows left in the outbox afterwards (failed ones, rows not yet due, new ones)
 * @param oldestAge age of the oldest remaining row; zero when none remains
 */
public record RepairReport(long applied, long failed, long remaining, Duration oldestAge) {

  /** Validates that the age is present. */
  public RepairReport {
    requireNonNull(oldestAge, "oldestAge");
  }
}
