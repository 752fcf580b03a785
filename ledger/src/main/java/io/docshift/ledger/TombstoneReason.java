package io.docshift.ledger;

import java.util.Locale;

/**
 * Why a ledger row is a {@link S3State#DELETED} tombstone, kept in a column of its own (the row's
 * error text says it to a person, not to code).
 */
public enum TombstoneReason {
  /**
   * Removed through DocShift or found gone: a destroy, a delete, a rename's old key. Neither store
   * is to serve it.
   */
  REMOVED,
  /**
   * Access-controlled at Cloudinary ({@code access_mode: authenticated}): Cloudinary still holds
   * and serves it signed, S3 (which has no access rules) must not serve it at all.
   */
  ACCESS_CONTROLLED;

  /** The lower-case word stored in the {@code tombstone_reason} column. */
  String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The reason stored as {@code value}; null for a row that is no tombstone. */
  static TombstoneReason fromDb(String value) {
    return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
  }
}
