package io.docshift.read;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.Arrays;

/**
 * At most {@code percent} % of the reads routed to S3 in the last {@value #WINDOW_SECONDS} seconds
 * may be hedged, so a slow S3 cannot double Cloudinary's load: a hedge is allowed while (hedges +
 * 1) stays within that share of the reads counted (the asking read included). The window slides by
 * whole seconds (one bucket per second); time comes from an injected {@link Ticker}.
 */
final class HedgeBudget {
  static final int WINDOW_SECONDS = 10;
  private static final long SECOND = 1_000_000_000L;

  private final int percent;
  private final Ticker ticker;
  private final long[] second = new long[WINDOW_SECONDS];
  private final long[] reads = new long[WINDOW_SECONDS];
  private final long[] hedges = new long[WINDOW_SECONDS];

  HedgeBudget(int percent, Ticker ticker) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("budgetPercent: " + percent + " (expected: 0..100)");
    }
    this.percent = percent;
    this.ticker = ticker;
    Arrays.fill(second, Long.MIN_VALUE);
  }

  /** One read was routed to S3. */
  synchronized void read() {
    reads[bucket(now())]++;
  }

  /** Whether one more hedge fits the budget; if so it is counted. */
  synchronized boolean tryHedge() {
    long now = now();
    int current = bucket(now);
    long readsInWindow = 0;
    long hedgesInWindow = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      if (second[i] > now - WINDOW_SECONDS) {
        readsInWindow += reads[i];
        hedgesInWindow += hedges[i];
      }
    }
    if ((hedgesInWindow + 1) * 100 > readsInWindow * percent) {
      return false;
    }
    hedges[current]++;
    return true;
  }

  private long now() {
    return Math.floorDiv(ticker.read(), SECOND);
  }

  /** The bucket of second {@code now}, emptied first when it last held an older second. */
  private int bucket(long now) {
    int i = (int) Math.floorMod(now, (long) WINDOW_SECONDS);
    if (second[i] != now) {
      second[i] = now;
      reads[i] = 0;
      hedges[i] = 0;
    }
    return i;
  }
}
