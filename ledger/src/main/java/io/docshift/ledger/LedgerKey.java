package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import io.docshift.core.key.DocumentKey;

/**
 * Identity of one Cloudinary asset in the ledger: {@code (cloud, resourceType, type, publicId)},
 * exactly as Cloudinary scopes a public id. The format is not part of the identity (it is an
 * attribute of the stored original, see {@link CloudinaryAsset#format()}).
 *
 * <p>Kept as plain strings (the ledger stores and compares them as such); {@link #of(DocumentKey)}
 * is the one mapping from the delivery key.
 *
 * @param cloud Cloudinary cloud name
 * @param resourceType {@code image}, {@code video} or {@code raw}
 * @param type delivery type: {@code upload}, {@code private}, {@code authenticated}, ...
 * @param publicId the public id, without the format extension for images and videos
 * @throws IllegalArgumentException if any part is blank
 */
public record LedgerKey(String cloud, String resourceType, String type, String publicId) {

  /** The ledger identity of a delivery key: the same document whatever format was asked for. */
  public static LedgerKey of(DocumentKey key) {
    requireNonNull(key, "key");
    return new LedgerKey(
        key.cloud(), key.resourceType().wireName(), key.type().wireName(), key.publicId());
  }

  /** Validates that every part is present and not blank. */
  public LedgerKey {
    requireText(cloud, "cloud");
    requireText(resourceType, "resourceType");
    requireText(type, "type");
    requireText(publicId, "publicId");
  }

  private static void requireText(String value, String name) {
    requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  /** {@code cloud/resourceType/type/publicId}, the same shape as the sticky-bucket input. */
  @Override
  public String toString() {
    return cloud + "/" + resourceType + "/" + type + "/" + publicId;
  }
}
