package io.docshift.core.metrics;

import io.docshift.core.outcome.Outcome;
import java.util.concurrent.TimeUnit;

/**
 * How a client read (a delivery {@code GET} or {@code HEAD}) went, in a few fixed buckets: a store
 * fault, or the time to its last byte. Proxies count their reads by bucket in the shared ledger
 * (kind {@link #KIND} of {@code recent_outcomes}); the backfill reads the fleet's counts to slow
 * down when the proxies suffer. Fixed buckets keep the rows few and the tag bounded; a latency
 * threshold is therefore one of the buckets' upper bounds ({@link #slowerThan}).
 *
 * <p>The buckets under 100 ms let the backfill protect a fleet whose reads are fast (a p99 of tens
 * of milliseconds, stores in the same region). {@code UNDER_100_MS} counted every read under 100 ms
 * before they existed: a row of that name written by an older proxy is read as 50-100 ms, so during
 * a rolling upgrade the pace errs slow, never fast.
 */
public enum ReadLatency {
  UNDER_25_MS(25),
  UNDER_50_MS(50),
  UNDER_100_MS(100),
  UNDER_250_MS(250),
  UNDER_500_MS(500),
  UNDER_1_S(1_000),
  UNDER_2500_MS(2_500),
  SLOWER(Long.MAX_VALUE),
  /** A store fault (timeout, 5xx, refused connection), whatever its latency. */
  FAULT(Long.MAX_VALUE);

  /** The {@code kind} of these counts in the ledger's recent outcomes. */
  public static final String KIND = "read";

  private final long upperMillis;

  ReadLatency(long upperMillis) {
    this.upperMillis = upperMillis;
  }

  /** The bucket of a read that ended with {@code outcome} after {@code nanos}. */
  public static ReadLatency of(Outcome outcome, long nanos) {
    if (outcome.isBackendFault()) {
      return FAULT;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    for (ReadLatency bucket : values()) {
      if (millis < bucket.upperMillis) {
        return bucket;
      }
    }
    return SLOWER;
  }

  /**
   * Whether a read in this bucket took {@code millis} or longer (faults are not slow, they fail).
   */
  public boolean slowerThan(long millis) {
    return this != FAULT && lowerMillis() >= millis;
  }

  private long lowerMillis() {
    return ordinal() == 0 ? 0 : values()[ordinal() - 1].upperMillis;
  }

  /** The finite upper bounds, in order, as a reader would list them ("25, 50, 100, ..."). */
  public static String bounds() {
    StringBuilder b = new StringBuilder();
    for (ReadLatency bucket : values()) {
      if (bucket.upperMillis != Long.MAX_VALUE) {
        b.append(b.length() == 0 ? "" : ", ").append(bucket.upperMillis);
      }
    }
    return b.toString();
  }

  /** Whether {@code millis} is a bucket bound, so {@link #slowerThan} answers it exactly. */
  public static boolean isBound(long millis) {
    for (ReadLatency bucket : values()) {
      if (bucket.upperMillis == millis && millis != Long.MAX_VALUE) {
        return true;
      }
    }
    return false;
  }
}
