package io.docshift.sandbox.emulator;

import java.util.Comparator;

/**
 * Identity of an asset: Cloudinary keys originals by resource type, delivery type and public id.
 */
record AssetKey(String resourceType, String type, String publicId) implements Comparable<AssetKey> {
  /** Listing order: public id, then delivery type; stable under concurrent inserts. */
  private static final Comparator<AssetKey> ORDER =
      Comparator.comparing(AssetKey::resourceType)
          .thenComparing(AssetKey::publicId)
          .thenComparing(AssetKey::type);

  @Override
  public int compareTo(AssetKey other) {
    return ORDER.compare(this, other);
  }
}
