package io.docshift.ledger;

import java.util.Locale;

/**
 * Where the S3 copy of a document stands (a fixed contract): {@code absent → copied → verified},
 * plus {@code mismatch} when S3 content was seen to differ from Cloudinary, and the {@code deleted}
 * tombstone after a destroy. Only {@link #VERIFIED} documents may be read from S3.
 */
public enum S3State {
  /** S3 holds no usable copy of the current Cloudinary version. */
  ABSENT,
  /** S3 holds the current version; its MD5 has not yet been checked against Cloudinary's etag. */
  COPIED,
  /** S3 holds the current version and its MD5 equals Cloudinary's etag. */
  VERIFIED,
  /** S3 content was observed to differ from Cloudinary; it needs a re-copy. */
  MISMATCH,
  /** The asset was destroyed; the row is a tombstone that stops stale listings resurrecting it. */
  DELETED;

  /** The lower-case word stored in the {@code s3_state} column. */
  String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static S3State fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
