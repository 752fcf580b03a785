package io.docshift.traffic.control;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.traffic.revert.AutoRevertController;
import io.docshift.traffic.revert.Trip;
import io.docshift.traffic.revert.TripListener;
import io.docshift.traffic.revert.WindowSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * This instance's {@link AutoRevertController}, kept in step with the shared state: the read and
 * write paths feed it classified outcomes; when the shared rules change it starts a new controller
 * with them (and an empty window), and when the shared resume epoch moves (an operator resumed on
 * any instance) it resumes its controller. A trip goes to the {@link TrafficControl}'s listener.
 *
 * <p>Thread-safe; {@link #record} is as cheap as the controller's (one short lock).
 */
public final class RevertGuard {
  private final Clock clock;
  private final TripListener listener;
  private volatile AutoRevertController controller;
  private long resumeEpoch;

  RevertGuard(Clock clock, TripListener listener, TrafficControlState initial) {
    this.clock = clock;
    this.listener = listener;
    this.controller = new AutoRevertController(initial.autoRevert(), clock, listener);
    this.resumeEpoch = initial.resumeEpoch();
  }

  /** Records one call's classified outcome; see {@link AutoRevertController#record}. */
  public void record(Backend backend, Outcome outcome, Duration latency) {
    controller.record(requireNonNull(backend, "backend"), outcome, latency);
  }

  /** Records one S3 call already judged; see {@link AutoRevertController#recordS3}. */
  public void recordS3(boolean fault, Duration latency) {
    controller.recordS3(fault, latency);
  }

  /** This instance's latched trip (also dry-run trips), if any. */
  public Optional<Trip> tripped() {
    return controller.tripped();
  }

  /** The current window. */
  public WindowSnapshot snapshot() {
    return controller.snapshot();
  }

  /** The rules in force here. */
  public AutoRevertSettings settings() {
    return controller.settings();
  }

  synchronized void reconcile(TrafficControlState state) {
    if (!state.autoRevert().equals(controller.settings())) {
      controller = new AutoRevertController(state.autoRevert(), clock, listener);
    } else if (state.resumeEpoch() != resumeEpoch) {
      controller.resume();
    }
    resumeEpoch = state.resumeEpoch();
  }
}
