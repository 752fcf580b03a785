package io.docshift.ledger;

import java.util.Locale;

/** Who saw a mismatch. */
public enum MismatchSource {
  /** A sampled shadow read during live traffic. */
  SHADOW,
  /** The offline {@code docshift verify} walk. */
  VERIFY;

  String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  static MismatchSource fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
