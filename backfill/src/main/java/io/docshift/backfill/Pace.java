package io.docshift.backfill;

/**
 * How many copies a run makes at once, adjusted to the fleet's reads: additive increase,
 * multiplicative decrease (as TCP's congestion control). When more than 1 % of the interval's reads
 * took the p99 threshold or longer (so the p99 is above it), or more than the allowed share failed,
 * the pace halves (never below one copy); after a quiet interval it grows by one copy, up to the
 * run's {@code --concurrency}. An interval with too few reads to judge ({@link #MIN_READS}) counts
 * as quiet: a fleet that serves nothing cannot be slowed by the backfill.
 */
final class Pace {
  /** Reads an interval needs before its p99 and fault share mean anything. */
  static final long MIN_READS = 20;

  private static final double P99_SHARE_PERCENT = 1.0;

  /** What one look did to the pace. */
  enum Change {
    SLOWED,
    SPED_UP,
    HELD
  }

  private final int max;
  private final double faultPercent;
  private int target;

  Pace(int max, double faultPercent) {
    this.max = max;
    this.faultPercent = faultPercent;
    this.target = max;
  }

  int target() {
    return target;
  }

  Change adjust(ReadLoad load) {
    if (suffering(load)) {
      int slower = Math.max(1, target / 2);
      Change change = slower < target ? Change.SLOWED : Change.HELD;
      target = slower;
      return change;
    }
    if (target < max) {
      target++;
      return Change.SPED_UP;
    }
    return Change.HELD;
  }

  boolean suffering(ReadLoad load) {
    return load.reads() >= MIN_READS
        && (load.slowPercent() > P99_SHARE_PERCENT || load.faultPercent() > faultPercent);
  }
}
