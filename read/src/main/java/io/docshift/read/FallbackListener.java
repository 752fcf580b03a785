package io.docshift.read;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Outcome;

/**
 * Told when an S3 read failed before its first byte and Cloudinary is asked instead. Called on the
 * thread that saw the failure: implementations must not block.
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
}
