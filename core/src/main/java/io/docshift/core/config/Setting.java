package io.docshift.core.config;

/**
 * One configuration key: its default, what it means, which values it takes, whether it is a secret
 * (masked whenever shown) and whether {@link DocShiftConfig#render()} writes its value.
 *
 * @param rendered false for keys DocShift never writes into a file, even in clear-text renders (the
 *     Datadog API key: it comes from the operator's own file or environment, so a rendered {@code
 *     docshift.conf} handed to another process never carries it)
 */
record Setting(
    String key,
    String defaultValue,
    String meaning,
    ValueType type,
    boolean secret,
    boolean rendered) {

  /** A key that {@link DocShiftConfig#render()} writes. */
  Setting(String key, String defaultValue, String meaning, ValueType type, boolean secret) {
    this(key, defaultValue, meaning, type, secret, true);
  }

  /** {@code value} as it may be shown to a person: secrets become {@code ****} unless empty. */
  String display(String value) {
    return secret && !value.isEmpty() ? "****" : value;
  }

  /** {@code value} as a clear-text render writes it: empty for keys never rendered. */
  String written(String value) {
    return rendered ? value : "";
  }
}
