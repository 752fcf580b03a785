package io.docshift.copier;

import io.docshift.core.outcome.Outcome;

/**
 * How the copy of one claimed document ended.
 *
 * @param kind the category counted in the summary
 * @param reason a bounded, tag-safe word (see {@link BackfillMetrics}); {@code none} for copies
 * @param detail human-readable detail for the ledger's last error and the log (may name the key)
 * @param bytes bytes uploaded to S3 (0 unless copied or mismatched)
 * @param outcome the classified result, for callers that count outcomes (the repair worker): {@code
 *     SUCCESS} for copies and skips, the failing store call's outcome for failures
 */
public record CopyOutcome(Kind kind, String reason, String detail, long bytes, Outcome outcome) {
  /** The reason of a skip because the ledger holds a newer version than the one copied. */
  public static final String STALE = "stale_version";

  /** The reason of a skip because S3 already held the row's bytes (now verified). */
  public static final String ALREADY_IN_S3 = "already_in_s3";

  /** Categories of {@link CopyOutcome}. */
  public enum Kind {
    /** Uploaded and verified. */
    COPIED,
    /** Left alone on purpose: S3 already had it, or S3/ledger know better (newer, destroyed). */
    SKIPPED,
    /** Uploaded, but its MD5 differs from Cloudinary's etag: state {@code mismatch}. */
    MISMATCH,
    /** Not copied this run. */
    FAILED
  }

  public static CopyOutcome copied(long bytes) {
    return new CopyOutcome(Kind.COPIED, "none", "", bytes, Outcome.SUCCESS);
  }

  public static CopyOutcome skipped(String reason, String detail) {
    return new CopyOutcome(Kind.SKIPPED, reason, detail, 0, Outcome.SUCCESS);
  }

  public static CopyOutcome mismatch(String detail, long bytes) {
    return new CopyOutcome(
        Kind.MISMATCH, "md5_differs_from_etag", detail, bytes, Outcome.CHECKSUM_MISMATCH);
  }

  public static CopyOutcome failed(String reason, String detail) {
    return failed(reason, detail, Outcome.LOCAL_ERROR);
  }

  public static CopyOutcome failed(String reason, String detail, Outcome outcome) {
    return new CopyOutcome(Kind.FAILED, reason, detail, 0, outcome);
  }
}
