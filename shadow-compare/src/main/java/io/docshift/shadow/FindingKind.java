package io.docshift.shadow;

import java.util.Locale;

/** What {@code docshift verify} found wrong with one document or S3 object. */
public enum FindingKind {
  /** The document should be in S3 and is not. Repair: copy it. */
  MISSING_IN_S3,
  /** S3 holds an object no expected document accounts for. Never repaired: reported only. */
  EXTRA_IN_S3,
  /** S3 holds other bytes than Cloudinary (MD5). Repair: copy again. */
  CHECKSUM_DIFFERS,
  /** S3's object has another length than Cloudinary's original. Repair: copy again. */
  SIZE_DIFFERS,
  /** {@code --deep}: S3 serves another media type than Cloudinary. Repair: copy again. */
  CONTENT_TYPE_DIFFERS,
  /** The document was destroyed (ledger tombstone) but S3 still holds it. Repair: delete it. */
  TOMBSTONED_PRESENT,
  /**
   * Cloudinary lists the document with {@code access_mode: authenticated}, yet S3 holds a copy that
   * it would serve unsigned. The ledger row becomes a tombstone at once (S3 stops serving it);
   * repair: delete the copy.
   */
  ACCESS_CONTROLLED_IN_S3,
  /** {@code --deep}: Cloudinary no longer serves a document the inventory lists. Reported only. */
  MISSING_IN_CLOUDINARY,
  /** The document could not be checked (a store failed or timed out); says nothing about it. */
  ERROR;

  /** Whether this is a difference between the stores (everything but {@link #ERROR}). */
  public boolean differs() {
    return this != ERROR;
  }

  /** Whether {@code --repair} can fix it. */
  public boolean repairable() {
    return this != EXTRA_IN_S3 && this != MISSING_IN_CLOUDINARY && this != ERROR;
  }

  /** Lowercase, hyphenated name for reports, e.g. {@code missing-in-s3}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
