package io.docshift.ledger;

/**
 * What a repair makes true. Every operation is an idempotent reconciliation towards the primary
 * store's truth, so a row can be applied twice, or after a crash, without harm.
 */
public enum RepairOperation {
  /**
   * Make S3 hold Cloudinary's current original (a secondary write, an interrupted dual-write or a
   * read fallback); when the ledger holds a tombstone or Cloudinary has no such asset, make sure S3
   * holds nothing instead, so a repair never resurrects a destroyed document.
   */
  PUT("put"),
  /** Remove the S3 object (a destroy reached Cloudinary but not S3). */
  DELETE("delete"),
  /** Make Cloudinary hold S3's current object (S3-primary writes whose secondary failed). */
  CLOUDINARY_PUT("cld_put"),
  /** Destroy the asset in Cloudinary (an S3-primary destroy whose secondary failed). */
  CLOUDINARY_DELETE("cld_delete");

  private final String dbValue;

  RepairOperation(String dbValue) {
    this.dbValue = dbValue;
  }

  /** The bounded name used in the database and as the {@code operation} metrics tag. */
  public String tag() {
    return dbValue;
  }

  String dbValue() {
    return dbValue;
  }

  static RepairOperation fromDb(String value) {
    for (RepairOperation operation : values()) {
      if (operation.dbValue.equals(value)) {
        return operation;
      }
    }
    throw new IllegalArgumentException(
        "operation: " + value + " (expected: put, delete, cld_put, cld_delete)");
  }
}
