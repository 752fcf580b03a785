package io.docshift.traffic.revert;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides, from the classified outcomes of S3 calls, when S3 misbehaves badly enough that reads
 * must go back to Cloudinary. Transport-agnostic: the read and write paths feed it, a {@link
 * TripListener} acts on a trip.
 *
 * <p>Only S3 counts. Cloudinary failures, client errors (a client's bad request is no evidence
 * against S3) and local errors are ignored. The rules ({@link AutoRevertSettings}) are checked on
 * every recorded call, so a trip is detected on the call that crosses a threshold, not on a timer.
 *
 * <p>A trip is <b>latched</b>: the listener hears of it once, and the controller stays tripped,
 * ignoring further calls, until an operator {@link #resume() resumes}; that also empties the
 * window, so evidence from before the outage cannot trip it again. In dry-run mode it trips and
 * latches the same way, but the trip says {@code dryRun} and the listener must change nothing.
 *
 * <p>Thread-safe; recording takes one short lock. Time comes from the injected {@link Clock}, so
 * tests move time by hand.
 */
public final class AutoRevertController {
  private final AutoRevertSettings settings;
  private final Clock clock;
  private final TripListener listener;
  private final SlidingWindow window;
  private int consecutiveFailures;
  private Trip tripped;

  public AutoRevertController(AutoRevertSettings settings, Clock clock, TripListener listener) {
    this.settings = requireNonNull(settings, "settings");
    this.clock = requireNonNull(clock, "clock");
    this.listener = requireNonNull(listener, "listener");
    this.window = new SlidingWindow(settings.window());
  }

  /**
   * Records one call's classified outcome. Counted: {@link Outcome#SUCCESS} of an S3 call and every
   * S3 backend fault (timeout, 5xx, connect, throttled, refused credentials). Ignored: other
   * backends, client errors, local errors, not-found and checksum outcomes (the controller cannot
   * tell whose fault they are; a caller that knows, e.g. a ledger-verified object missing from S3,
   * uses {@link #recordS3(boolean, Duration)}).
   *
   * @param backend the backend that was called
   */
  public void record(Backend backend, Outcome outcome, Duration latency) {
    requireNonNull(outcome, "outcome");
    if (backend != Backend.S3) {
      return;
    }
    if (outcome == Outcome.SUCCESS) {
      recordS3(false, latency);
    } else if (outcome.isBackendFault() && outcome.backend().orElse(null) == Backend.S3) {
      recordS3(true, latency);
    }
  }

  /** Records one S3 call the caller has already judged: {@code fault} means S3's fault. */
  public void recordS3(boolean fault, Duration latency) {
    requireNonNull(latency, "latency");
    Trip trip;
    synchronized (this) {
      if (!settings.enabled() || tripped != null) {
        return;
      }
      Instant now = clock.instant();
      window.add(now.getEpochSecond(), fault, Math.max(0, latency.toNanos() / 1000));
      consecutiveFailures = fault ? consecutiveFailures + 1 : 0;
      trip = evaluate(now);
      tripped = trip;
    }
    if (trip != null) {
      listener.onTrip(trip); // outside the lock: the listener may call back into tripped()
    }
  }

  private Trip evaluate(Instant now) {
    WindowSnapshot seen = window.snapshot(now.getEpochSecond(), consecutiveFailures);
    int inARow = settings.consecutiveFailures();
    if (inARow > 0 && consecutiveFailures >= inARow) {
      return trip(TripRule.CONSECUTIVE_FAILURES, inARow + " S3 failures in a row", now, seen);
    }
    if (seen.requests() < settings.minimumVolume()) {
      return null;
    }
    int rate = settings.failureRatePercent();
    if (rate > 0 && seen.failures() * 100 >= (long) rate * seen.requests()) {
      return trip(TripRule.FAILURE_RATE, "S3 failure rate reached " + rate + " %", now, seen);
    }
    Duration p99 = settings.p99Threshold();
    if (!p99.isZero() && seen.p99().compareTo(p99) > 0) {
      return trip(TripRule.P99_LATENCY, "S3 p99 latency over " + p99.toMillis() + " ms", now, seen);
    }
    return null;
  }

  private Trip trip(TripRule rule, String why, Instant now, WindowSnapshot seen) {
    String reason = why + ": " + seen + (settings.dryRun() ? " (dry run)" : "");
    return new Trip(rule, reason, now, seen, settings.dryRun());
  }

  /** The latched trip, if any. */
  public synchronized Optional<Trip> tripped() {
    return Optional.ofNullable(tripped);
  }

  /**
   * Clears the latch and the evidence: the controller starts counting afresh. Restoring traffic is
   * the caller's business (the traffic state keeps the pre-trip settings).
   */
  public synchronized void resume() {
    tripped = null;
    consecutiveFailures = 0;
    window.clear();
  }

  /** The current window, for status pages and the admin API. */
  public synchronized WindowSnapshot snapshot() {
    return window.snapshot(clock.instant().getEpochSecond(), consecutiveFailures);
  }

  public AutoRevertSettings settings() {
    return settings;
  }
}
