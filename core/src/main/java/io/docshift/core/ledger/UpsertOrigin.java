package io.docshift.core.ledger;

/**
 * Where Cloudinary metadata handed to {@link Documents#upsert} comes from. Only a write may
 * resurrect a destroyed document: a listing can be older than the destroy it races with.
 */
public enum UpsertOrigin {
  /** An upload through the proxy: authoritative and current. */
  WRITE,
  /** An Admin API listing (backfill or verify): possibly stale. */
  LISTING
}
