package io.docshift.shadow;

/**
 * The {@code rule} tag of {@code docshift.shadow.comparisons}: {@link #NONE} for every outcome but
 * {@code ignored}, otherwise the rule that made a sampled read not comparable. A small, fixed set
 * (metric tags stay bounded).
 */
final class ShadowRules {
  /** Not ignored. */
  static final String NONE = "none";

  /** The client asked for a byte range: the primary body is partial, so it is not compared. */
  static final String RANGE = "range";

  /**
   * S3 failed before its first byte and Cloudinary served instead; the repair is already queued.
   */
  static final String FALLBACK = "fallback";

  /**
   * A/B, Cloudinary served: the ledger has no verified S3 copy in the requested format, so S3 is
   * not expected to match (not copied yet, already flagged, or a transcoded format).
   */
  static final String UNVERIFIED = "unverified";

  /** The client's body did not complete (the client went away, or the body failed). */
  static final String INCOMPLETE = "incomplete";

  /** The client's read failed (other than "not found"): there is nothing to compare with. */
  static final String PRIMARY_ERROR = "primary-error";

  /** A/A: S3 served the read, and A/A compares Cloudinary with itself only. */
  static final String S3_SERVED = "s3-served";

  /** A/B: the stores differed, but a second read of both agreed (e.g. a write raced the read). */
  static final String UNCONFIRMED = "unconfirmed";

  private ShadowRules() {}
}
