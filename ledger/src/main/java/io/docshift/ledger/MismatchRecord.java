package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A stored {@link MismatchSample}.
 *
 * @param id row id; later samples have larger ids
 * @param detectedAt when it was recorded (the ledger's clock)
 * @param sample what was seen
 */
public record MismatchRecord(long id, Instant detectedAt, MismatchSample sample) {

  /** Validates that every part is present. */
  public MismatchRecord {
    requireNonNull(detectedAt, "detectedAt");
    requireNonNull(sample, "sample");
  }
}
