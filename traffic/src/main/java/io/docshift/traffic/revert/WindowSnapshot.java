package io.docshift.traffic.revert;

import java.time.Duration;

/**
 * What the sliding window held at one moment: the evidence recorded with a trip.
 *
 * @param window the window length
 * @param requests S3 calls counted in the window
 * @param failures S3 faults among them
 * @param p99 p99 latency of those calls (bucketed, an upper bound within 10 %)
 * @param consecutiveFailures current run of faults in a row
 */
public record WindowSnapshot(
    Duration window, long requests, long failures, Duration p99, int consecutiveFailures) {

  /** Fault rate in percent; 0 when the window is empty. */
  public double failureRatePercent() {
    return requests == 0 ? 0.0 : 100.0 * failures / requests;
  }

  @Override
  public String toString() {
    return String.format(
        "%d S3 calls in %ds, %d failed (%.1f %%), p99 %d ms, %d failures in a row",
        requests,
        window.getSeconds(),
        failures,
        failureRatePercent(),
        p99.toMillis(),
        consecutiveFailures);
  }
}
