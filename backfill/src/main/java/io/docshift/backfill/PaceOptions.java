package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import io.docshift.core.metrics.ReadLatency;
import java.time.Duration;

/**
 * How a backfill run paces itself against the proxies it shares the stores with. Immutable; errors
 * read {@code name: value (expected: ...)}.
 *
 * @param adaptive whether the run slows down when the fleet's reads suffer (see {@link Pace})
 * @param p99Millis the fleet's read p99 above which the run slows down: one of {@link
 *     ReadLatency}'s bucket bounds (25, 50, 100, 250, 500, 1000, 2500)
 * @param faultPercent the share of the fleet's reads that may fail (store faults) before the run
 *     slows down
 * @param interval how often the fleet's reads are looked at and the pace adjusted
 * @param maxBytesPerSecond a cap on the bytes the run copies per second; 0 for none
 */
public record PaceOptions(
    boolean adaptive,
    long p99Millis,
    double faultPercent,
    Duration interval,
    long maxBytesPerSecond) {

  /** Adaptive, slowing down above a 500 ms p99 or 1 % faults, looked at every 5 s, no byte cap. */
  public static PaceOptions defaults() {
    return new PaceOptions(true, 500, 1.0, Duration.ofSeconds(5), 0);
  }

  /** Validates every component. */
  public PaceOptions {
    requireNonNull(interval, "interval");
    if (!ReadLatency.isBound(p99Millis)) {
      throw new IllegalArgumentException(
          "p99Millis: " + p99Millis + " (expected: one of " + ReadLatency.bounds() + ")");
    }
    if (!(faultPercent > 0 && faultPercent <= 100)) {
      throw new IllegalArgumentException(
          "faultPercent: " + faultPercent + " (expected: more than 0, at most 100)");
    }
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException(
          "interval: " + interval.toMillis() + " ms (expected: at least 100 ms)");
    }
    if (maxBytesPerSecond < 0) {
      throw new IllegalArgumentException(
          "maxBytesPerSecond: " + maxBytesPerSecond + " (expected: 0 for no cap, or more)");
    }
  }

  /** These options with a byte cap. */
  public PaceOptions withMaxBytesPerSecond(long value) {
    return new PaceOptions(adaptive, p99Millis, faultPercent, interval, value);
  }
}
