package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Where a listing resumes.
 *
 * @param key the listing
 * @param cursor Cloudinary's {@code next_cursor} to resume from, or null to start from the first
 *     page
 * @param completed true once the last page was processed
 * @param updatedAt when the checkpoint was last written
 */
public record Checkpoint(CheckpointKey key, String cursor, boolean completed, Instant updatedAt) {

  /** Validates that the key and time are present. */
  public Checkpoint {
    requireNonNull(key, "key");
    requireNonNull(updatedAt, "updatedAt");
  }
}
