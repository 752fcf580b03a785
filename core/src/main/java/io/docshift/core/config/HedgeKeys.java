package io.docshift.core.config;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code read.hedge.*} keys: hedged S3 reads (Cloudinary asked too when S3 is slow to answer).
 * Kept apart from {@link Settings} so the catalog stays readable.
 */
final class HedgeKeys {
  private static final String MIN = "read.hedge.minDelayMillis";
  private static final String MAX = "read.hedge.maxDelayMillis";

  private HedgeKeys() {}

  static void add(List<Setting> all) {
    all.add(
        new Setting(
            "read.hedge.enabled",
            "false",
            "Whether a read routed to S3 that has no response head within the hedge delay also"
                + " asks Cloudinary and serves whichever answers first (the other is released).",
            ValueType.bool(),
            false));
    all.add(
        new Setting(
            "read.hedge.delayPercentile",
            "95",
            "The hedge delay: this percentile of this instance's recent S3 first-byte latencies"
                + " (the last 256 answers), clamped to the two keys below.",
            ValueType.integer(1, 99),
            false));
    all.add(
        new Setting(
            "read.hedge.delayMedianMultiple",
            "5",
            "The hedge delay is at most this many times the median of the same latencies (0: no"
                + " such cap). Without it, once more of S3's answers are slow than the percentile"
                + " leaves out (5 % at 95), the percentile is a slow answer and hedging starts only"
                + " when that answer is due anyway.",
            ValueType.integer(0, 1_000),
            false));
    all.add(
        new Setting(
            MIN,
            "20",
            "Shortest hedge delay, however fast S3 has been.",
            ValueType.integer(1, 3_600_000),
            false));
    all.add(
        new Setting(
            MAX,
            "500",
            "Longest hedge delay, however slow S3 has been; also the delay until 32 S3 answers"
                + " were seen.",
            ValueType.integer(1, 3_600_000),
            false));
    all.add(
        new Setting(
            "read.hedge.budgetPercent",
            "5",
            "Most hedged reads, as a share of the reads routed to S3 in the last 10 s, so a slow S3"
                + " cannot double Cloudinary's load; a read over it waits for S3 alone.",
            ValueType.integer(0, 100),
            false));
  }

  static void crossCheck(Map<String, String> values, Consumer<String> errors) {
    if (Long.parseLong(values.get(MAX)) < Long.parseLong(values.get(MIN))) {
      errors.accept(MAX + ": " + values.get(MAX) + " (expected: integer >= " + MIN + ")");
    }
  }

  /** The section from validated values. */
  static HedgeConfig read(Map<String, String> values) {
    return new HedgeConfig(
        Boolean.parseBoolean(values.get("read.hedge.enabled")),
        Integer.parseInt(values.get("read.hedge.delayPercentile")),
        Integer.parseInt(values.get("read.hedge.delayMedianMultiple")),
        Long.parseLong(values.get(MIN)),
        Long.parseLong(values.get(MAX)),
        Integer.parseInt(values.get("read.hedge.budgetPercent")));
  }
}
