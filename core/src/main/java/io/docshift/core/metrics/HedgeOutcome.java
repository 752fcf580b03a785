package io.docshift.core.metrics;

import java.util.Locale;

/**
 * How one hedged read ended: S3 had not answered within the hedge delay, so Cloudinary was asked
 * too (or would have been, but the hedge budget was spent). The {@code outcome} tag of {@code
 * docshift.read.hedge}.
 */
public enum HedgeOutcome {
  /**
   * S3 answered first (or Cloudinary failed and S3 then answered): S3 served, Cloudinary's answer
   * was released.
   */
  S3_WON,
  /** Cloudinary answered first (or S3 failed and the hedge's answer served as the fallback). */
  CLOUDINARY_WON,
  /** Neither store served: the read ended as an S3 failure with Cloudinary's fallback failing. */
  BOTH_FAILED,
  /** The hedge delay passed but the budget allowed no more hedges: only S3 was asked. */
  OVER_BUDGET;

  /** Lowercase name for metrics tags. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
