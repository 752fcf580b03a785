package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

/**
 * One resumable Admin API listing: {@code GET resources/{resourceType}/{type}?prefix=...} in one
 * cloud.
 *
 * @param cloud Cloudinary cloud name
 * @param resourceType {@code image}, {@code video} or {@code raw}
 * @param type delivery type, or empty for a listing over all types
 * @param prefix public-id prefix, or empty for none
 */
public record CheckpointKey(String cloud, String resourceType, String type, String prefix) {

  /** Validates that every part is present (empty type and prefix are allowed). */
  public CheckpointKey {
    requireNonNull(cloud, "cloud");
    requireNonNull(resourceType, "resourceType");
    requireNonNull(type, "type");
    requireNonNull(prefix, "prefix");
  }
}
