package io.docshift.core.metrics;

import java.util.Locale;

/**
 * How one mid-body failover ended: S3 failed after the response had started and Cloudinary was
 * asked for the rest of the bytes. The {@code outcome} tag of {@code docshift.read.failover}.
 */
public enum FailoverOutcome {
  /** Cloudinary's range continued the response, which completed (and hashed right when hashed). */
  SPLICED,
  /**
   * Cloudinary answered, but not with the requested part of the same version (a 200, another {@code
   * Content-Range}, another ETag): the response was aborted.
   */
  REFUSED,
  /** Cloudinary failed, before its answer or while continuing: the response was aborted. */
  FAILED,
  /** The spliced body did not hash to the ledger's digest: the response was aborted. */
  MISMATCH;

  /** Lowercase name for metrics tags. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the client's request ends without S3's failure in its own outcome, so the failure must
   * be counted for auto-revert from here: a spliced response completes as a success, and a spliced
   * body that does not hash ends as a checksum mismatch, which is no backend fault. Refused and
   * failed continuations end the request with S3's own failure, counted there as today.
   */
  public boolean hidesS3Failure() {
    return this == SPLICED || this == MISMATCH;
  }
}
