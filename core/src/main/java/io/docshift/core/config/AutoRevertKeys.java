package io.docshift.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code autoRevert.*} keys: the auto-revert rules an instance seeds the shared traffic state
 * with when no instance has written it yet. Afterwards the shared state is authoritative and
 * operators change the rules through the admin API, as they do the traffic weights. Kept apart from
 * {@link Settings} so the catalog stays readable; the ranges match {@link AutoRevertSettings}'s own
 * validation, so a config that loads always yields valid rules.
 */
final class AutoRevertKeys {
  private static final String INITIAL =
      " Initial value, used until the shared traffic state is set.";

  private AutoRevertKeys() {}

  static void add(List<Setting> all) {
    all.add(
        rule(
            "autoRevert.enabled",
            "true",
            "Whether auto-revert evaluates at all.",
            ValueType.bool()));
    all.add(
        rule(
            "autoRevert.dryRun",
            "false",
            "Evaluate and report trips without reverting traffic.",
            ValueType.bool()));
    all.add(
        rule(
            "autoRevert.windowSeconds",
            "30",
            "Length of the sliding window the rules look at.",
            ValueType.integer(1, 600)));
    all.add(
        rule(
            "autoRevert.failureRatePercent",
            "5",
            "S3 fault rate in the window that trips (0 = rule off).",
            ValueType.integer(0, 100)));
    all.add(
        rule(
            "autoRevert.minimumVolume",
            "50",
            "S3 calls the window needs before the rate and p99 rules apply.",
            ValueType.integer(1, 100_000_000)));
    all.add(
        rule(
            "autoRevert.p99ThresholdMillis",
            "0",
            "S3 p99 latency in the window that trips (0 = rule off).",
            ValueType.integer(0, 3_600_000)));
    all.add(
        rule(
            "autoRevert.consecutiveFailures",
            "10",
            "S3 faults in a row that trip, whatever the volume (0 = rule off).",
            ValueType.integer(0, 1_000_000)));
  }

  /** The rules from validated values. */
  static AutoRevertSettings read(Map<String, String> values) {
    return new AutoRevertSettings(
        Boolean.parseBoolean(values.get("autoRevert.enabled")),
        Boolean.parseBoolean(values.get("autoRevert.dryRun")),
        Duration.ofSeconds(Long.parseLong(values.get("autoRevert.windowSeconds"))),
        Integer.parseInt(values.get("autoRevert.failureRatePercent")),
        Integer.parseInt(values.get("autoRevert.minimumVolume")),
        Duration.ofMillis(Long.parseLong(values.get("autoRevert.p99ThresholdMillis"))),
        Integer.parseInt(values.get("autoRevert.consecutiveFailures")));
  }

  private static Setting rule(String key, String defaultValue, String meaning, ValueType type) {
    return new Setting(key, defaultValue, meaning + INITIAL, type, false);
  }
}
