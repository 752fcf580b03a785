package io.docshift.traffic;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.TrafficConfig;
import io.docshift.core.config.WriteMode;

/**
 * The migration's live dials, read by every request: how many documents S3 serves, where writes go,
 * how many reads are shadow-compared. Immutable; a change is a new instance.
 *
 * @param s3ReadPercent documents whose sticky bucket is below this (0..100) read from S3 when their
 *     copy is verified; raising it only ever adds documents
 * @param writeMode where writes go
 * @param shadowPercent share of reads shadow-compared against the other store, 0..100
 */
public record TrafficState(int s3ReadPercent, WriteMode writeMode, int shadowPercent) {
  /** Validates; errors read {@code name: value (expected: ...)}. */
  public TrafficState {
    requireNonNull(writeMode, "writeMode");
    checkPercent("s3ReadPercent", s3ReadPercent);
    checkPercent("shadowPercent", shadowPercent);
  }

  /** The initial state a config file describes ({@code traffic.*}). */
  public static TrafficState of(TrafficConfig config) {
    requireNonNull(config, "config");
    return new TrafficState(config.s3ReadPercent(), config.writeMode(), config.shadowPercent());
  }

  /** This state with another S3 read weight. */
  public TrafficState withS3ReadPercent(int percent) {
    return new TrafficState(percent, writeMode, shadowPercent);
  }

  private static void checkPercent(String name, int value) {
    if (value < 0 || value > 100) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: 0..100)");
    }
  }
}
