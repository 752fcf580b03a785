package io.docshift.core.metrics;

import java.util.Locale;

/**
 * How one read's copy into S3 ended (copy on read): the {@code outcome} tag of {@code
 * docshift.read.copy_on_read}.
 */
public enum CopyOnReadOutcome {
  /** Copied into S3 and verified against Cloudinary's etag. */
  COPIED,
  /**
   * Nothing to do, or not ours to do: S3 already had it, the ledger has no row for it or knows
   * better (verified, a tombstone, a newer version), or it was tried recently.
   */
  SKIPPED,
  /** Over the budget (queue full, bytes per second spent): not tried. */
  DROPPED,
  /** Tried and failed (a store or the ledger); the backfill still copies it. */
  FAILED,
  /** Uploaded, but its MD5 differs from Cloudinary's etag: the row says {@code mismatch}. */
  MISMATCH;

  /** Lowercase name for metrics tags. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
