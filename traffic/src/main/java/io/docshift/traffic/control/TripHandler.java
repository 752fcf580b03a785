package io.docshift.traffic.control;

import static io.docshift.traffic.control.TrafficJson.text;
import static io.docshift.traffic.control.TrafficJson.write;

import io.docshift.ledger.AuditLog;
import io.docshift.traffic.revert.Trip;
import io.docshift.traffic.revert.TripListener;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on this instance's trips. On the recording thread (an event loop) it only flips an in-memory
 * latch, so this instance routes everything to Cloudinary at once, logs a WARN and counts the
 * metric; storing the latch (weight 0, writes off S3-primary, reason, window, pre-trip dials) and
 * the audit event happen on the executor. If storing fails, the next refresh retries; the local
 * latch holds until the stored state shows the trip or an operator resumes. Dry-run trips are only
 * logged, counted and audited.
 */
final class TripHandler implements TripListener {
  static final String ACTOR = "auto-revert";
  private static final Logger LOG = LoggerFactory.getLogger(TripHandler.class);

  /** A trip this instance acted on but has not yet seen in the stored state. */
  record LocalTrip(Trip trip, long resumeEpoch) {}

  private final TrafficStore store;
  private final AuditLog audit;
  private final RevertMetrics metrics;
  private final Executor executor;
  private final AtomicReference<LocalTrip> local = new AtomicReference<>();
  private volatile long resumeEpoch;
  private volatile java.util.function.Consumer<TrafficControlState> onStored = s -> {};

  TripHandler(TrafficStore store, AuditLog audit, RevertMetrics metrics, Executor executor) {
    this.store = store;
    this.audit = audit;
    this.metrics = metrics;
    this.executor = executor;
  }

  void onStored(java.util.function.Consumer<TrafficControlState> listener) {
    this.onStored = listener;
  }

  @Override
  public void onTrip(Trip trip) {
    metrics.trip(trip.rule(), trip.dryRun());
    if (trip.dryRun()) {
      LOG.warn("auto-revert DRY RUN, nothing changed: {}", trip.reason());
      executor.execute(() -> auditDryRun(trip));
      return;
    }
    local.set(new LocalTrip(trip, resumeEpoch));
    LOG.warn("auto-revert TRIPPED: S3 reads to 0, writes off S3-primary: {}", trip.reason());
    executor.execute(this::storePending);
  }

  /** Whether this instance has tripped and not yet seen its trip stored (or a resume). */
  boolean pending() {
    return local.get() != null;
  }

  /** Stores the pending trip, if any; failures are logged and retried by the next call. */
  void storePending() {
    LocalTrip pending = local.get();
    if (pending == null) {
      return;
    }
    try {
      TrafficUpdate update = store.update(s -> latch(s, pending.trip()));
      if (update.changed()) {
        audit.append(
            ACTOR,
            "traffic.auto-revert",
            text(write(update.before())),
            text(write(update.after())),
            pending.trip().reason());
      }
      onStored.accept(update.after());
    } catch (RuntimeException e) {
      LOG.error("auto-revert could not store its trip (retrying on next refresh)", e);
    }
  }

  /** Drops the local latch once the stored state carries a trip or a later resume. */
  void reconcile(TrafficControlState stored) {
    resumeEpoch = stored.resumeEpoch();
    LocalTrip pending = local.get();
    if (pending != null && (stored.tripped() || stored.resumeEpoch() > pending.resumeEpoch())) {
      local.compareAndSet(pending, null);
    }
  }

  void clear() {
    local.set(null);
  }

  private static TrafficControlState latch(TrafficControlState s, Trip trip) {
    if (s.tripped()) {
      return s; // another instance tripped first: its latch and pre-trip dials stand
    }
    RevertLatch latch =
        new RevertLatch(trip.rule(), trip.reason(), trip.at(), trip.window(), s.traffic());
    return s.withTraffic(TrafficControlState.reverted(s.traffic())).withLatch(latch);
  }

  private void auditDryRun(Trip trip) {
    try {
      audit.append(ACTOR, "traffic.auto-revert.dry-run", null, null, trip.reason());
    } catch (RuntimeException e) {
      LOG.error("could not audit a dry-run trip", e);
    }
  }
}
