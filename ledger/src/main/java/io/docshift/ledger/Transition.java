package io.docshift.ledger;

/** Outcome of a guarded S3-state transition on {@link Documents}. */
public enum Transition {
  /** The row changed as asked. */
  APPLIED,
  /** The row was already in the asked-for state; nothing changed. */
  ALREADY,
  /** No row has this key. */
  NOT_FOUND,
  /** The current state does not allow this transition (e.g. verifying a tombstone). */
  WRONG_STATE,
  /** The version given is not the one the ledger (or its S3 copy) currently describes. */
  STALE_VERSION,
  /** The hashes given disagree with Cloudinary's etag or with the hashes recorded at copy time. */
  HASH_MISMATCH
}
