package io.docshift.core.config;

/**
 * The {@code read.hedge.*} section: hedged S3 reads. When a read routed to S3 has no response head
 * within the hedge delay, Cloudinary is asked too and whichever answers first serves.
 *
 * @param enabled whether reads are hedged at all (off by default)
 * @param delayPercentile the delay is this percentile of recent S3 first-byte latencies
 * @param delayMedianMultiple the delay is at most this many times their median (0: no such cap), so
 *     a slow share of S3 answers larger than the percentile leaves cannot push the delay up to the
 *     slow answers themselves
 * @param minDelayMillis the shortest delay
 * @param maxDelayMillis the longest delay, and the delay until enough latencies were seen
 * @param budgetPercent most hedges as a share of recent S3 reads
 */
public record HedgeConfig(
    boolean enabled,
    int delayPercentile,
    int delayMedianMultiple,
    long minDelayMillis,
    long maxDelayMillis,
    int budgetPercent) {

  /** Hedging off (the defaults' delays and budget, which then do nothing). */
  public static HedgeConfig off() {
    return new HedgeConfig(false, 95, 5, 20, 500, 5);
  }
}
