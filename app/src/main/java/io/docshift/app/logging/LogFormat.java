package io.docshift.app.logging;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How {@code docshift} writes its logs to stderr: {@link #JSON} lines for log shippers, or {@link
 * #TEXT} for people. Chosen by {@code --log-format}, else {@code DOCSHIFT_LOG_FORMAT}, else {@link
 * #AUTO}: text when the process runs on a terminal, JSON otherwise (a service, a container, a
 * pipe). The choice is process-wide, like logging itself, and may change at any time: {@link
 * LogEncoder} reads it for every event.
 */
public enum LogFormat {
  /** Text on a terminal, JSON otherwise. */
  AUTO,
  /** One JSON object per line (Logstash layout: {@code @timestamp}, {@code level}, ...). */
  JSON,
  /** {@code time level logger - message key=value ...}, for reading on a terminal. */
  TEXT;

  /** The environment variable consulted when {@code --log-format} is not given. */
  public static final String ENVIRONMENT = "DOCSHIFT_LOG_FORMAT";

  private static volatile LogFormat chosen = fromEnvironment(System.getenv()).orElse(AUTO);

  /** Selects the format for every later log line; {@link #AUTO} decides by the terminal. */
  public static void select(LogFormat format) {
    chosen = format == null ? AUTO : format;
  }

  /** The selected format, {@link #AUTO} resolved: never {@link #AUTO}. */
  public static LogFormat effective() {
    LogFormat format = chosen;
    if (format != AUTO) {
      return format;
    }
    return System.console() != null ? TEXT : JSON;
  }

  /**
   * {@code json}, {@code text} or {@code auto}, in any case.
   *
   * @throws IllegalArgumentException {@code log format: value (expected: json, text or auto)}
   */
  public static LogFormat parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "log format: " + value + " (expected: json, text or auto)", e);
    }
  }

  static Optional<LogFormat> fromEnvironment(Map<String, String> environment) {
    String value = environment.get(ENVIRONMENT);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parse(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a typo must not stop the process; the default applies
    }
  }
}
