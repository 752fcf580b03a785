package io.docshift.traffic.revert;

/** Which auto-revert rule tripped. */
public enum TripRule {
  /** S3 fault rate over the window reached the threshold, with enough volume. */
  FAILURE_RATE,
  /** S3 p99 latency over the window exceeded the threshold, with enough volume. */
  P99_LATENCY,
  /** Too many S3 faults in a row. */
  CONSECUTIVE_FAILURES
}
