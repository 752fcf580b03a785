package io.docshift.read;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.outcome.Outcome;

/**
 * Told when an S3 read failed before its first byte and Cloudinary is asked instead, and when one
 * failed mid-body and Cloudinary was asked to continue it. Called on the thread that saw the
 * outcome: implementations must not block.
 */
@FunctionalInterface
public interface FallbackListener {
  /** Does nothing. */
  FallbackListener NONE = (key, cause) -> {};

  /**
   * @param key the document read
   * @param cause the classified S3 failure
   */
  void fellBack(DocumentKey key, Outcome cause);

  /**
   * An S3 body failed after the response started and Cloudinary was asked for the rest.
   *
   * @param key the document read
   * @param cause the classified S3 failure
   * @param outcome how the continuation ended
   */
  default void failedOver(DocumentKey key, Outcome cause, FailoverOutcome outcome) {}
}
