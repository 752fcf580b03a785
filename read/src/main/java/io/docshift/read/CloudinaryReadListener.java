package io.docshift.read;

import io.docshift.core.key.DocumentKey;

/**
 * Told when a read the router sent to Cloudinary (the weight, or a copy S3 lacks) has served a
 * whole original: the body ended, or the client left after it started. Not told of ranges, of
 * HEADs, of Cloudinary's failures, nor of fallbacks from S3. Called on the thread that saw the end
 * (an event loop): implementations must not block.
 */
@FunctionalInterface
public interface CloudinaryReadListener {
  /** Does nothing. */
  CloudinaryReadListener NONE = key -> {};

  /**
   * @param key the document Cloudinary served
   */
  void served(DocumentKey key);
}
