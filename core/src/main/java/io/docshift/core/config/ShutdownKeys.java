package io.docshift.core.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code shutdown.*} keys: how {@code docshift serve} drains on SIGTERM. Kept apart from {@link
 * Settings} so the catalog stays readable.
 */
final class ShutdownKeys {
  private ShutdownKeys() {}

  static void add(List<Setting> all) {
    all.add(
        new Setting(
            "shutdown.readinessDelayMillis",
            "5000",
            "On SIGTERM, how long /readyz answers 503 while the proxy still accepts connections,"
                + " so load balancers take the instance out first (longer than their check"
                + " interval times their fall count).",
            ValueType.integer(0, 600_000),
            false));
    all.add(
        new Setting(
            "shutdown.drainTimeoutMillis",
            "30000",
            "After the proxy stops accepting, how long requests and uploads in flight may take to"
                + " finish before their connections are closed (a second SIGTERM cuts it short).",
            ValueType.integer(0, 3_600_000),
            false));
  }

  /** The section from validated values. */
  static ShutdownConfig read(Map<String, String> values) {
    return new ShutdownConfig(
        Long.parseLong(values.get("shutdown.readinessDelayMillis")),
        Long.parseLong(values.get("shutdown.drainTimeoutMillis")));
  }
}
