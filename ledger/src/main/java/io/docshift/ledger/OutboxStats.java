package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How far behind repairs are.
 *
 * @param depth pending repairs (claimed or not)
 * @param oldestAge age of the oldest pending repair; {@link Duration#ZERO} when none is pending
 */
public record OutboxStats(long depth, Duration oldestAge) {

  /** Validates that the age is present. */
  public OutboxStats {
    requireNonNull(oldestAge, "oldestAge");
  }
}
