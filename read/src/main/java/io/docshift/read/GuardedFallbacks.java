package io.docshift.read;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.outcome.Outcome;
import io.docshift.traffic.revert.S3Evidence;

/**
 * Tells auto-revert about every fallback and mid-body failover, then the read path's own listener:
 * both are S3 failing a ledger-verified read while the client may see Cloudinary's success, so
 * auto-revert would not learn of them from the request's verdict.
 */
final class GuardedFallbacks implements FallbackListener {
  private final FallbackListener listener;
  private final S3Evidence evidence;

  private GuardedFallbacks(FallbackListener listener, S3Evidence evidence) {
    this.listener = listener;
    this.evidence = evidence;
  }

  /** {@code listener} alone when nothing is guarded. */
  static FallbackListener of(FallbackListener listener, S3Evidence evidence) {
    return evidence == S3Evidence.NONE ? listener : new GuardedFallbacks(listener, evidence);
  }

  @Override
  public void fellBack(DocumentKey key, Outcome cause) {
    evidence.fellBack(cause);
    listener.fellBack(key, cause);
  }

  @Override
  public void failedOver(DocumentKey key, Outcome cause, FailoverOutcome outcome) {
    evidence.failedOver(cause, outcome);
    listener.failedOver(key, cause, outcome);
  }
}
