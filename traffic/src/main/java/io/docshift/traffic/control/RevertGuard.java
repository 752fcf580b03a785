package io.docshift.traffic.control;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.traffic.revert.AutoRevertController;
import io.docshift.traffic.revert.S3Evidence;
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
 * <p>As the {@link S3Evidence} the proxy reports to, it counts only S3's evidence:
 *
 * <ul>
 *   <li>a request S3 answered: its outcome and latency (client errors and Cloudinary's failures are
 *       ignored by the controller's rules);
 *   <li>a fallback: the document was ledger-verified, so even an S3 404 is S3's fault (it lost the
 *       object). Its latency is not known; the failure still counts toward the rate and the
 *       consecutive-failure rules;
 *   <li>a mid-body failover whose request will not carry S3's failure (the response was spliced
 *       from Cloudinary, or the spliced body did not hash): counted like a fallback. The others end
 *       the request with S3's failure, which is counted there.
 * </ul>
 *
 * <p>Thread-safe; {@link #record} is as cheap as the controller's (one short lock).
 */
public final class RevertGuard implements S3Evidence {
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

  @Override
  public void served(Outcome outcome, Duration latency) {
    record(Backend.S3, outcome, latency);
  }

  @Override
  public void fellBack(Outcome cause) {
    if (cause == Outcome.NOT_FOUND || cause.isBackendFault()) {
      recordS3(true, Duration.ZERO);
    }
  }

  @Override
  public void failedOver(Outcome cause, FailoverOutcome outcome) {
    if (outcome.hidesS3Failure() && cause.isBackendFault()) {
      recordS3(true, Duration.ZERO);
    }
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
