package io.docshift.traffic.revert;

import java.time.Duration;

/**
 * S3 call counts and latencies over the last N seconds, in a ring of one-second buckets. A bucket
 * is reused when its second comes round again, so memory is fixed and nothing needs a timer. Not
 * thread-safe: the controller guards it.
 */
final class SlidingWindow {
  private final Duration length;
  private final Bucket[] buckets;

  SlidingWindow(Duration length) {
    this.length = length;
    this.buckets = new Bucket[(int) length.getSeconds()];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new Bucket();
    }
  }

  void add(long epochSecond, boolean failure, long latencyMicros) {
    Bucket bucket = buckets[(int) Math.floorMod(epochSecond, (long) buckets.length)];
    if (bucket.second != epochSecond) {
      bucket.reset(epochSecond);
    }
    bucket.requests++;
    if (failure) {
      bucket.failures++;
    }
    bucket.latencies.add(latencyMicros);
  }

  /** The totals of the buckets inside {@code (nowSecond - N, nowSecond]}. */
  WindowSnapshot snapshot(long nowSecond, int consecutiveFailures) {
    long requests = 0;
    long failures = 0;
    long[] latencies = new long[LatencyHistogram.BUCKETS];
    for (Bucket bucket : buckets) {
      if (bucket.second > nowSecond - buckets.length && bucket.second <= nowSecond) {
        requests += bucket.requests;
        failures += bucket.failures;
        bucket.latencies.addTo(latencies);
      }
    }
    long p99 = LatencyHistogram.quantileMicros(latencies, requests, 0.99);
    return new WindowSnapshot(
        length, requests, failures, Duration.ofNanos(p99 * 1000), consecutiveFailures);
  }

  void clear() {
    for (Bucket bucket : buckets) {
      bucket.reset(Long.MIN_VALUE);
    }
  }

  private static final class Bucket {
    long second = Long.MIN_VALUE;
    long requests;
    long failures;
    final LatencyHistogram latencies = new LatencyHistogram();

    void reset(long newSecond) {
      second = newSecond;
      requests = 0;
      failures = 0;
      latencies.clear();
    }
  }
}
