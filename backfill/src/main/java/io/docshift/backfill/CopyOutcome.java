package io.docshift.backfill;

/**
 * How the copy of one claimed document ended.
 *
 * @param kind the category counted in the summary
 * @param reason a bounded, tag-safe word (see {@link BackfillMetrics}); {@code none} for copies
 * @param detail human-readable detail for the ledger's last error and the log (may name the key)
 * @param bytes bytes uploaded to S3 (0 unless copied or mismatched)
 */
record CopyOutcome(Kind kind, String reason, String detail, long bytes) {

  /** Categories of {@link CopyOutcome}. */
  enum Kind {
    /** Uploaded and verified. */
    COPIED,
    /** Left alone on purpose: S3 already had it, or S3/ledger know better (newer, destroyed). */
    SKIPPED,
    /** Uploaded, but its MD5 differs from Cloudinary's etag: state {@code mismatch}. */
    MISMATCH,
    /** Not copied this run. */
    FAILED
  }

  static CopyOutcome copied(long bytes) {
    return new CopyOutcome(Kind.COPIED, "none", "", bytes);
  }

  static CopyOutcome skipped(String reason, String detail) {
    return new CopyOutcome(Kind.SKIPPED, reason, detail, 0);
  }

  static CopyOutcome mismatch(String detail, long bytes) {
    return new CopyOutcome(Kind.MISMATCH, "md5_differs_from_etag", detail, bytes);
  }

  static CopyOutcome failed(String reason, String detail) {
    return new CopyOutcome(Kind.FAILED, reason, detail, 0);
  }
}
