package io.docshift.sandbox.emulator;

/**
 * Filter and position of an Admin API listing page.
 *
 * @param resourceType resource type to list
 * @param type delivery type, or {@code null} for all
 * @param prefix public-id prefix, empty for all
 * @param descending listing direction
 * @param after the last key of the previous page, or {@code null} for the first page
 */
record ListQuery(
    String resourceType, String type, String prefix, boolean descending, AssetKey after) {

  boolean matches(Asset asset) {
    return asset.resourceType().equals(resourceType)
        && (type == null || asset.type().equals(type))
        && asset.publicId().startsWith(prefix);
  }

  /** Whether an ascending scan has left the resource type or the prefix range for good. */
  boolean isPast(Asset asset) {
    if (descending()) {
      return false;
    }
    return !asset.resourceType().equals(resourceType)
        || (asset.publicId().compareTo(prefix) > 0 && !asset.publicId().startsWith(prefix));
  }
}
