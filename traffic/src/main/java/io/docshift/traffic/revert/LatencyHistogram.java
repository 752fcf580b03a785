package io.docshift.traffic.revert;

/**
 * Latency counts in exponential buckets (each 10 % wider than the last, from 100 µs to about 60 s),
 * enough to tell a p99 threshold crossing without keeping every sample. Not thread-safe: the window
 * guards it.
 */
final class LatencyHistogram {
  private static final double GROWTH = 1.1;
  private static final long FIRST_UPPER_MICROS = 100;
  static final int BUCKETS = 142; // 100 µs * 1.1^141 ≈ 69 s; anything slower lands in the last
  private static final long[] UPPER_MICROS = upperBounds();

  private final long[] counts = new long[BUCKETS];

  private static long[] upperBounds() {
    long[] bounds = new long[BUCKETS];
    double upper = FIRST_UPPER_MICROS;
    for (int i = 0; i < BUCKETS; i++) {
      bounds[i] = (long) Math.ceil(upper);
      upper *= GROWTH;
    }
    bounds[BUCKETS - 1] = Long.MAX_VALUE;
    return bounds;
  }

  static int bucketOf(long micros) {
    int low = 0;
    int high = BUCKETS - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (micros <= UPPER_MICROS[mid]) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  static long upperMicros(int bucket) {
    return bucket == BUCKETS - 1 ? UPPER_MICROS[BUCKETS - 2] : UPPER_MICROS[bucket];
  }

  void add(long micros) {
    counts[bucketOf(micros)]++;
  }

  void clear() {
    java.util.Arrays.fill(counts, 0);
  }

  /** Adds this histogram's counts into {@code totals}. */
  void addTo(long[] totals) {
    for (int i = 0; i < BUCKETS; i++) {
      totals[i] += counts[i];
    }
  }

  /** The upper bound of the bucket holding the {@code quantile} rank, in µs; 0 when empty. */
  static long quantileMicros(long[] totals, long count, double quantile) {
    if (count == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(quantile * count);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += totals[i];
      if (seen >= rank) {
        return upperMicros(i);
      }
    }
    return upperMicros(BUCKETS - 1);
  }
}
