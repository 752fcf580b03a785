package io.docshift.core.config;

import java.util.Map;

/**
 * Writes a complete {@code docshift.conf}: every key, with its meaning, accepted values and
 * default.
 */
final class ConfigRenderer {
  private static final String HEADER =
      """
      # DocShift configuration (docshift.conf).
      #
      # One `key = value` per line; lines starting with # are comments. Values are literal (no
      # quotes or escapes) and trimmed. Unknown keys are an error, so a typo never goes unnoticed.
      # Precedence, lowest first: built-in defaults < this file (--config FILE) < environment
      # variables DOCSHIFT_<KEY> (key upper-cased, '.' -> '_', e.g. DOCSHIFT_PROXY_PORT) <
      # command-line overrides (--set key=value).
      # Units are part of the names (...Millis, ...Percent). Keep this file private: it may hold
      # secrets (cloudinary.apiSecret, s3.secretKey, ledger.password, admin.token). DocShift never
      # writes datadog.apiKey into a file: set it in your own file or as DOCSHIFT_DATADOG_APIKEY.
      """;

  private ConfigRenderer() {}

  /** The file text for {@code values}; with {@code mask}, set secrets show as {@code ****}. */
  static String render(Map<String, String> values, boolean mask) {
    StringBuilder out = new StringBuilder(HEADER);
    String section = "";
    for (Setting setting : Settings.ALL) {
      String key = setting.key();
      String prefix = key.substring(0, key.indexOf('.'));
      if (!prefix.equals(section)) {
        section = prefix;
        out.append("\n# ---- ").append(section).append(" ----\n");
      }
      String value = values.get(key);
      out.append('\n')
          .append("# ")
          .append(setting.meaning())
          .append('\n')
          .append("# Expected: ")
          .append(setting.type().expected())
          .append("\n# Default: ")
          .append(setting.defaultValue().isEmpty() ? "(empty)" : setting.defaultValue())
          .append('\n')
          .append(key)
          .append(" =");
      String shown = mask ? setting.display(value) : setting.written(value);
      if (!shown.isEmpty()) {
        out.append(' ').append(shown);
      }
      out.append('\n');
    }
    return out.toString();
  }
}
