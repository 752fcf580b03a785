package io.docshift.traffic.control;

import static java.util.Objects.requireNonNull;

import io.docshift.traffic.TrafficState;
import io.docshift.traffic.revert.TripRule;
import io.docshift.traffic.revert.WindowSnapshot;
import java.time.Instant;

/**
 * The auto-revert latch as stored in the shared traffic state: which rule tripped, the sentence
 * operators read, when, the window the controller saw, and the settings in force just before the
 * trip, which {@code resume} restores.
 *
 * @param rule the rule that tripped
 * @param reason one line for operators and the audit log
 * @param at when the trip was detected (the detecting instance's clock)
 * @param window the evidence: the sliding window at the moment of the trip
 * @param preTrip the traffic state just before the revert
 */
public record RevertLatch(
    TripRule rule, String reason, Instant at, WindowSnapshot window, TrafficState preTrip) {

  /** Checks that every part is present. */
  public RevertLatch {
    requireNonNull(rule, "rule");
    requireNonNull(reason, "reason");
    requireNonNull(at, "at");
    requireNonNull(window, "window");
    requireNonNull(preTrip, "preTrip");
  }
}
