package io.docshift.core.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks every value against its setting and the few rules that span keys; collects every problem
 * rather than stopping at the first.
 */
final class ConfigValidator {
  private ConfigValidator() {}

  /** The normalised values; problems go to {@code errors} as {@code key: value (expected: ...)}. */
  static Map<String, String> validate(Map<String, String> raw, List<String> errors) {
    Map<String, String> normalized = new LinkedHashMap<>();
    for (Setting setting : Settings.ALL) {
      String value = raw.get(setting.key()).strip();
      Optional<String> accepted =
          value.contains("\n") || value.contains("\r")
              ? Optional.empty()
              : setting.type().normalize(value);
      if (accepted.isPresent()) {
        normalized.put(setting.key(), accepted.get());
      } else {
        errors.add(problem(setting, value, setting.type().expected()));
      }
    }
    if (errors.isEmpty()) {
      crossCheck(normalized, errors);
    }
    return normalized;
  }

  private static void crossCheck(Map<String, String> values, List<String> errors) {
    String proxyPort = values.get("proxy.port");
    if (!proxyPort.equals("0") && proxyPort.equals(values.get("admin.port"))) {
      errors.add(problem("admin.port", values, "a port other than proxy.port"));
    }
    boolean accessKey = !values.get("s3.accessKey").isEmpty();
    boolean secretKey = !values.get("s3.secretKey").isEmpty();
    if (accessKey && !secretKey) {
      errors.add(problem("s3.secretKey", values, "non-empty when s3.accessKey is set"));
    } else if (secretKey && !accessKey) {
      errors.add(problem("s3.accessKey", values, "non-empty when s3.secretKey is set"));
    }
    long initial = Long.parseLong(values.get("repair.initialBackoffMillis"));
    if (Long.parseLong(values.get("repair.maxBackoffMillis")) < initial) {
      errors.add(
          problem("repair.maxBackoffMillis", values, "integer >= repair.initialBackoffMillis"));
    }
    TlsKeys.crossCheck(values, errors::add);
    HedgeKeys.crossCheck(values, errors::add);
  }

  /** The problem line for a required key left empty. */
  static String missing(String key) {
    return key + ":  (expected: non-empty)";
  }

  private static String problem(String key, Map<String, String> values, String expected) {
    return problem(Settings.find(key).orElseThrow(), values.get(key), expected);
  }

  private static String problem(Setting setting, String value, String expected) {
    String shown = setting.display(value).replace("\n", "\\n").replace("\r", "\\r");
    return setting.key() + ": " + shown + " (expected: " + expected + ")";
  }
}
