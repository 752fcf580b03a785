package io.docshift.traffic.control;

import io.docshift.traffic.revert.TripRule;

/**
 * Where traffic control reports auto-revert trips. A seam of its own (the request-path {@code
 * MetricsRecorder} describes requests); {@link MicrometerRevertMetrics} is the registry-backed
 * implementation. Called on the thread that recorded the tripping call: must not block.
 */
public interface RevertMetrics {
  /** Records nothing. */
  RevertMetrics NOOP = (rule, dryRun) -> {};

  /** Auto-revert tripped by {@code rule}; {@code dryRun} trips changed nothing. */
  void trip(TripRule rule, boolean dryRun);
}
