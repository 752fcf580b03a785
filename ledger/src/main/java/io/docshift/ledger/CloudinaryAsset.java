package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

/**
 * What Cloudinary says about one asset: from an upload response, a destroy, or an Admin API
 * listing.
 *
 * @param key the asset's identity
 * @param format the stored original's format (e.g. {@code pdf}), or null when Cloudinary keeps none
 *     (raw files carry it inside the public id)
 * @param version Cloudinary's {@code version} (upload time in seconds; higher is newer), {@code >=
 *     0}
 * @param etag Cloudinary's {@code etag} (MD5 of the original, hex), or null when unknown
 * @param bytes size of the original in bytes, {@code >= 0}
 * @throws IllegalArgumentException if version or bytes is negative
 */
public record CloudinaryAsset(LedgerKey key, String format, long version, String etag, long bytes) {

  /** Validates the key, version and size. */
  public CloudinaryAsset {
    requireNonNull(key, "key");
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0: " + version);
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
    }
  }
}
