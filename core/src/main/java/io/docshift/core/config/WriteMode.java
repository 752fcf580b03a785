package io.docshift.core.config;

/**
 * Where uploads and destroys go (a fixed contract). The primary's answer is the one the client
 * sees; a secondary failure becomes a repair.
 */
public enum WriteMode {
  /** Pass-through: Cloudinary only. */
  CLOUDINARY_ONLY,
  /** Both stores; Cloudinary answers the client. */
  DUAL_CLOUDINARY_PRIMARY,
  /** Both stores; S3 answers the client. */
  DUAL_S3_PRIMARY,
  /** S3 only: Cloudinary may be retired. */
  S3_ONLY
}
