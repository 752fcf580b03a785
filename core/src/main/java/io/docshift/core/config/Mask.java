package io.docshift.core.config;

/** How a secret is shown: {@code ****} if set, empty if not (so "unset" stays visible). */
final class Mask {
  static final String MASKED = "****";

  private Mask() {}

  static String secret(String value) {
    return value == null || value.isEmpty() ? "" : MASKED;
  }
}
