package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

/**
 * What one comparison of Cloudinary and S3 saw. Any observation may be null when that side did not
 * get that far (e.g. S3 answered 404: no hashes, no length).
 *
 * @param key the document
 * @param source shadow read or verify walk
 * @param reason short description, e.g. {@code md5 differs} or {@code length differs}
 * @param cloudinary what Cloudinary served
 * @param s3 what S3 served
 */
public record MismatchSample(
    LedgerKey key, MismatchSource source, String reason, Observation cloudinary, Observation s3) {

  /** Validates that every part is present. */
  public MismatchSample {
    requireNonNull(key, "key");
    requireNonNull(source, "source");
    requireNonNull(reason, "reason");
    requireNonNull(cloudinary, "cloudinary");
    requireNonNull(s3, "s3");
  }

  /**
   * One side of the comparison.
   *
   * @param status HTTP status, or null if none was received
   * @param bytes body length, or null
   * @param md5 hex MD5 of the body, or null
   * @param sha256 hex SHA-256 of the body, or null
   */
  public record Observation(Integer status, Long bytes, String md5, String sha256) {}
}
