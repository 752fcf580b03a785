package io.docshift.core.ledger;

import java.util.Locale;

/** What a repair does to the S3 copy. */
public enum RepairOperation {
  /** Copy the current Cloudinary version to S3 (a secondary write or read fallback failed). */
  PUT,
  /** Remove the S3 object (a destroy reached Cloudinary but not S3). */
  DELETE;

  String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static RepairOperation fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
