package io.docshift.shadow;

import static java.util.Objects.requireNonNull;

import io.docshift.ledger.CloudinaryAsset;

/**
 * A document the walk expects to find (or, for a tombstone, not to find) in S3.
 *
 * @param asset what Cloudinary holds (ledger row or Admin API listing): key, format, version, MD5
 *     etag, size
 * @param tombstone the document was destroyed: S3 must not hold it
 * @param accessControlled Cloudinary lists it with {@code access_mode: authenticated}: S3, which
 *     would serve it unsigned, must not hold it
 */
public record Expected(CloudinaryAsset asset, boolean tombstone, boolean accessControlled) {
  /** Validates that the asset is present. */
  public Expected {
    requireNonNull(asset, "asset");
  }

  /** A document that is, or is not, a tombstone; not access-controlled. */
  public Expected(CloudinaryAsset asset, boolean tombstone) {
    this(asset, tombstone, false);
  }

  /** A document Cloudinary holds with {@code access_mode: authenticated}. */
  public static Expected accessControlled(CloudinaryAsset asset) {
    return new Expected(asset, false, true);
  }

  /** A document Cloudinary holds. */
  public static Expected live(CloudinaryAsset asset) {
    return new Expected(asset, false);
  }
}
