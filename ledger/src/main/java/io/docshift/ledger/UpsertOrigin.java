package io.docshift.ledger;

/**
 * Where Cloudinary metadata handed to {@link Documents#upsert} comes from. Only a write may
 * resurrect a destroyed document: a listing can be older than the destroy it races with.
 */
public enum UpsertOrigin {
  /** An upload through the proxy: authoritative and current. */
  WRITE,
  /**
   * An upload through the proxy that found the ledger row unchanged since it started (see {@link
   * RowSeen}): Cloudinary took it after everything the row says, so it applies whatever its
   * version, and revives a tombstone.
   */
  ORDERED_WRITE,
  /** An Admin API listing (backfill or verify): possibly stale. */
  LISTING,
  /**
   * The Admin API's details of one asset, read just now because the row disagreed with Cloudinary
   * or S3: authoritative even when its version is lower than the row's (Cloudinary numbers an
   * upload after a destroy by the clock again), but never reviving a tombstone, whose destroy may
   * still be on its way.
   */
  CONFIRMED
}
