package io.docshift.core.config;

import java.util.List;

/**
 * The configuration is invalid. {@link #errors()} lists every problem found, one line each, in the
 * form {@code key: value (expected: ...)} (secrets masked), or naming an unknown key or an
 * unreadable file; the message joins them.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  ConfigException(List<String> errors) {
    super("invalid configuration:\n  " + String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  /** Every problem, in the order found. */
  public List<String> errors() {
    return errors;
  }
}
