package io.docshift.core.outcome;

import java.util.Locale;

/** The two stores DocShift talks to; the metrics tag value is {@link #tag()}. */
public enum Backend {
  S3,
  CLOUDINARY;

  /** Lowercase name for metrics tags and logs, e.g. {@code cloudinary}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
