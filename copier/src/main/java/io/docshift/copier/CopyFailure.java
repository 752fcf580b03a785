package io.docshift.copier;

import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Why one step of a copy failed, already sorted: {@link #transientFailure()} failures are retried
 * with backoff, {@link #preconditionFailed()} ones re-inspect S3, the rest end the document's copy
 * for this run with {@link #reason()}.
 */
public final class CopyFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final boolean transientFailure;
  private final boolean preconditionFailed;
  private final Outcome outcome;

  private CopyFailure(
      String reason,
      String detail,
      boolean transientFailure,
      boolean preconditionFailed,
      Outcome outcome) {
    super(detail);
    this.reason = reason;
    this.transientFailure = transientFailure;
    this.preconditionFailed = preconditionFailed;
    this.outcome = outcome;
  }

  public static CopyFailure permanent(String reason, String detail) {
    return new CopyFailure(reason, detail, false, false, Outcome.LOCAL_ERROR);
  }

  /** A failure worth another try; {@code outcome} is what it is counted as. */
  public static CopyFailure retryable(String reason, String detail, Outcome outcome) {
    return new CopyFailure(reason, detail, true, false, outcome);
  }

  /**
   * Sorts a store failure: backend faults (timeouts, 5xx, connection, throttling) and checksum
   * refusals (the bytes were damaged on the way; the spool is intact) are transient; an S3 412/409
   * is a failed precondition; everything else (not found, 4xx, our own credentials) is permanent.
   */
  public static CopyFailure of(StoreException e) {
    Outcome outcome = e.outcome();
    String reason = e.backend().tag() + "_" + outcome.tag();
    if (outcome.tag().startsWith(e.backend().tag())) {
      reason = outcome.tag();
    }
    if (preconditionStatus(e)) {
      return new CopyFailure("precondition_conflict", e.getMessage(), false, true, outcome);
    }
    boolean retry = outcome.isBackendFault() || outcome == Outcome.CHECKSUM_MISMATCH;
    return new CopyFailure(reason, e.getMessage(), retry, false, outcome);
  }

  private static boolean preconditionStatus(StoreException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof AwsServiceException) {
        int status = ((AwsServiceException) t).statusCode();
        return status == 412 || status == 409;
      }
    }
    return false;
  }

  public String reason() {
    return reason;
  }

  public boolean transientFailure() {
    return transientFailure;
  }

  public boolean preconditionFailed() {
    return preconditionFailed;
  }

  public CopyOutcome outcome() {
    return CopyOutcome.failed(reason, getMessage(), outcome);
  }
}
