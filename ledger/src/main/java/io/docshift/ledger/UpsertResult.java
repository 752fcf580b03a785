package io.docshift.ledger;

/** What {@link Documents#upsert} did with the metadata it was given. */
public enum UpsertResult {
  /** No row existed; one was created with S3 state {@code absent}. */
  INSERTED,
  /**
   * The row took the metadata. A newer version resets the S3 state to {@code absent}; the same
   * version only fills in or corrects metadata and keeps the S3 state.
   */
  UPDATED,
  /** The row already said exactly this. */
  UNCHANGED,
  /** The ledger knows a newer version; nothing changed (never downgrade). */
  IGNORED_OLDER,
  /** The row is a {@code deleted} tombstone and the metadata may not revive it; nothing changed. */
  TOMBSTONE_KEPT,
  /** A write with a strictly newer version revived a tombstone; S3 state is {@code absent}. */
  RESURRECTED
}
