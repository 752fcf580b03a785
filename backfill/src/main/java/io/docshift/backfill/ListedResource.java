package io.docshift.backfill;

import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.LedgerKey;

/**
 * One entry of an Admin API listing, reduced to what the backfill needs.
 *
 * @param resourceType {@code image}, {@code video} or {@code raw}
 * @param type delivery type
 * @param publicId the public id (raw ids keep their extension)
 * @param format the stored format for image/video, null for raw or when absent
 * @param version Cloudinary's version
 * @param bytes size of the original
 * @param etag MD5 hex of the original, null when the listing omits it (real Cloudinary may)
 * @param accessMode {@code public} or {@code authenticated}, null when the listing omits it
 */
record ListedResource(
    String resourceType,
    String type,
    String publicId,
    String format,
    long version,
    long bytes,
    String etag,
    String accessMode) {

  /** The ledger's view of this entry in {@code cloud}. */
  CloudinaryAsset asset(String cloud) {
    return new CloudinaryAsset(
        new LedgerKey(cloud, resourceType, type, publicId), format, version, etag, bytes);
  }
}
