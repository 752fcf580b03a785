package io.docshift.core.config;

/**
 * One configuration key: its default, what it means, which values it takes, and whether it is a
 * secret (masked whenever shown).
 */
record Setting(String key, String defaultValue, String meaning, ValueType type, boolean secret) {

  /** {@code value} as it may be shown to a person: secrets become {@code ****} unless empty. */
  String display(String value) {
    return secret && !value.isEmpty() ? "****" : value;
  }
}
