package io.docshift.traffic.control;

import static java.util.Objects.requireNonNull;

import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.CopyOnReadOutcome;
import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.metrics.HedgeOutcome;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.metrics.ShadowOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.time.Duration;
import java.util.Optional;

/**
 * Feeds the auto-revert guard from what the read path already reports, then passes everything on to
 * the real recorder. S3's evidence comes from two places:
 *
 * <ul>
 *   <li>a request S3 answered ({@code request} with backend S3): its outcome and latency;
 *   <li>a fallback: S3 failed before the first byte and Cloudinary served the client, so the client
 *       saw a success while S3 failed. The document was ledger-verified, so even an S3 404 is S3's
 *       fault (it lost the object). Its latency is not reported; the failure still counts toward
 *       the rate and the consecutive-failure rules.
 *   <li>a mid-body failover whose request will not carry S3's failure (the response was spliced
 *       from Cloudinary, or the spliced body did not hash): counted like a fallback. The others end
 *       the request with S3's failure, which is counted there.
 * </ul>
 *
 * Cloudinary outcomes and client errors never reach the guard; shadow, secondary-write and repair
 * reports pass straight through.
 */
public final class GuardedMetricsRecorder implements MetricsRecorder {
  private final MetricsRecorder delegate;
  private final RevertGuard guard;

  public GuardedMetricsRecorder(MetricsRecorder delegate, RevertGuard guard) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.guard = requireNonNull(guard, "guard");
  }

  @Override
  public void request(
      Operation operation,
      Optional<Backend> backend,
      Optional<ResourceType> resourceType,
      Outcome outcome,
      long nanos) {
    if (backend.orElse(null) == Backend.S3) {
      guard.record(Backend.S3, outcome, Duration.ofNanos(nanos));
    }
    delegate.request(operation, backend, resourceType, outcome, nanos);
  }

  @Override
  public void fallback(Outcome cause) {
    if (cause == Outcome.NOT_FOUND || cause.isBackendFault()) {
      guard.recordS3(true, Duration.ZERO);
    }
    delegate.fallback(cause);
  }

  @Override
  public void failover(Outcome cause, FailoverOutcome outcome) {
    if (outcome.hidesS3Failure() && cause.isBackendFault()) {
      guard.recordS3(true, Duration.ZERO);
    }
    delegate.failover(cause, outcome);
  }

  @Override
  public void ledgerLookupFailure() {
    delegate.ledgerLookupFailure();
  }

  // The hooks below say nothing about S3's read health: passed on only. Without these overrides the
  // interface's no-op defaults would swallow them.

  @Override
  public void shadow(ShadowOutcome outcome, String rule) {
    delegate.shadow(outcome, rule);
  }

  @Override
  public void hedge(HedgeOutcome outcome) {
    delegate.hedge(outcome);
  }

  @Override
  public void secondaryWrite(Backend secondary, Outcome outcome) {
    delegate.secondaryWrite(secondary, outcome);
  }

  @Override
  public void repair(String operation, Outcome outcome) {
    delegate.repair(operation, outcome);
  }

  @Override
  public void copyOnRead(CopyOnReadOutcome outcome) {
    delegate.copyOnRead(outcome);
  }

  @Override
  public void connectionClosed(ConnectionLimit limit) {
    delegate.connectionClosed(limit);
  }

  @Override
  public void changeFeedFailure() {
    delegate.changeFeedFailure();
  }
}
