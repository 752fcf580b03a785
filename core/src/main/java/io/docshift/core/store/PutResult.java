package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a store reports after accepting a document.
 *
 * @param md5Hex the MD5 the store computed (S3 ETag of a single-part put, Cloudinary {@code etag})
 * @param version the Cloudinary version it assigned (Cloudinary) or recorded (S3), when known
 */
public record PutResult(Optional<String> md5Hex, OptionalLong version) {
  /** Validates that no component is null. */
  public PutResult {
    requireNonNull(md5Hex, "md5Hex");
    requireNonNull(version, "version");
  }
}
