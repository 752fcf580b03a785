package io.docshift.core.ledger;

/**
 * Where Cloudinary metadata handed to {@link Documents#upsert} comes from. Only a write may
 * resurrect a destroyed document: a listing can be older than the destroy it races with.
 */
public enum UpsertOrigin {
  /** An upload through the proxy: authoritative and current. */
  WRITE,
  /**
   * An upload through the proxy that found the ledger row unchanged since it started (see {@link
   * RowSeen}): it may also revive a tombstone of the same version.
   */
  ORDERED_WRITE,
  /** An Admin API listing (backfill or verify): possibly stale. */
  LISTING
}
