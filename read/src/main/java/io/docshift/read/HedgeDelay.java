package io.docshift.read;

import java.time.Duration;
import java.util.Arrays;

/**
 * How long a read routed to S3 waits for S3's response head before Cloudinary is asked too: a
 * percentile of this instance's last {@value #SAMPLES} S3 first-byte latencies, at most a multiple
 * of their median, clamped to [min, max]. Until {@value #WARM_UP} answers were seen the delay is
 * the maximum, so a fresh instance hedges late rather than often. The percentile is recomputed
 * every {@value #RECOMPUTE_EVERY} answers (a sort of at most {@value #SAMPLES} longs), not per
 * read: reading the delay is one volatile read on the event loop.
 *
 * <p>Why the median cap: a percentile alone stops working once more of S3's answers are slow than
 * it leaves out. With 5 % of GETs held up 200 ms, the 95th percentile <em>is</em> 200 ms, so the
 * hedge would start when the slow answer is due anyway (measured: p99 unchanged with hedging on).
 * The median moves only when half the answers are slow, so "at most k times the median" keeps the
 * delay near the fast answers; with a healthy, unimodal S3 the percentile is the smaller of the
 * two.
 *
 * <p>Only answers S3 gave within the first-byte timeout are recorded, including ones that lost the
 * race to Cloudinary (leaving those out would hide the slow answers that make hedging worth it).
 */
final class HedgeDelay {
  static final int SAMPLES = 256;
  static final int WARM_UP = 32;
  static final int RECOMPUTE_EVERY = 16;

  private final int percentile;
  private final int medianMultiple;
  private final long minNanos;
  private final long maxNanos;
  private final long[] ring = new long[SAMPLES];
  private int next;
  private int count;
  private int sinceComputed;
  private volatile long delayNanos;

  /** {@code medianMultiple} 0: no median cap. */
  HedgeDelay(int percentile, int medianMultiple, Duration min, Duration max) {
    if (percentile < 1 || percentile > 99) {
      throw new IllegalArgumentException("percentile: " + percentile + " (expected: 1..99)");
    }
    if (medianMultiple < 0) {
      throw new IllegalArgumentException("medianMultiple: " + medianMultiple + " (expected: >= 0)");
    }
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          "maxDelay: " + max + " (expected: >= minDelay " + min + " > 0)");
    }
    this.percentile = percentile;
    this.medianMultiple = medianMultiple;
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.delayNanos = maxNanos;
  }

  /** The delay now. */
  long nanos() {
    return delayNanos;
  }

  /** One S3 answer's time from the request to its response head. */
  synchronized void record(long firstByteNanos) {
    ring[next] = firstByteNanos;
    next = (next + 1) % SAMPLES;
    count = Math.min(count + 1, SAMPLES);
    sinceComputed++;
    if (count >= WARM_UP && (count == WARM_UP || sinceComputed >= RECOMPUTE_EVERY)) {
      sinceComputed = 0;
      long[] sorted = Arrays.copyOf(ring, count);
      Arrays.sort(sorted);
      long delay = nearestRank(sorted, percentile);
      if (medianMultiple > 0) {
        delay = Math.min(delay, nearestRank(sorted, 50) * medianMultiple);
      }
      delayNanos = Math.max(minNanos, Math.min(maxNanos, delay));
    }
  }

  /** The smallest sample with at least {@code percentile} % of the samples at or below it. */
  private static long nearestRank(long[] sorted, int percentile) {
    return sorted[(int) Math.ceil(percentile / 100.0 * sorted.length) - 1];
  }
}
