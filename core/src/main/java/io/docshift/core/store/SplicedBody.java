package io.docshift.core.store;

/**
 * A body that may be finished by another store than the one that started it (a mid-body failover
 * from S3 to Cloudinary). Whoever counts the request asks once the body has ended, so a read that
 * Cloudinary finished is not also counted as S3's success.
 */
public interface SplicedBody {
  /** Whether another store's bytes were spliced in; final once the body has ended. */
  boolean spliced();
}
