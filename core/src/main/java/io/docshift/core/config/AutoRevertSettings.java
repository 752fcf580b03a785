package io.docshift.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When the auto-revert controller trips. Any rule trips on its own; a rule with a zero threshold is
 * off. The failure-rate and p99 rules need at least {@code minimumVolume} S3 calls in the window,
 * so a handful of early requests cannot trip them.
 *
 * @param enabled whether the controller evaluates at all
 * @param dryRun evaluate and report trips, but let the listener know nothing must change
 * @param window length of the sliding window, whole seconds, 1 s to 10 min
 * @param failureRatePercent S3 fault rate that trips, 1-100 (0 = off)
 * @param minimumVolume S3 calls the window needs before rate and p99 rules apply
 * @param p99Threshold S3 p99 latency that trips ({@link Duration#ZERO} = off)
 * @param consecutiveFailures S3 faults in a row that trip, regardless of volume (0 = off)
 */
public record AutoRevertSettings(
    boolean enabled,
    boolean dryRun,
    Duration window,
    int failureRatePercent,
    int minimumVolume,
    Duration p99Threshold,
    int consecutiveFailures) {

  /** The defaults: 5 % of at least 50 calls over 30 s, or 10 faults in a row; p99 rule off. */
  public static AutoRevertSettings defaults() {
    return new AutoRevertSettings(true, false, Duration.ofSeconds(30), 5, 50, Duration.ZERO, 10);
  }

  /**
   * Validates every field.
   *
   * @throws IllegalArgumentException listing each invalid field as {@code name: value (expected:
   *     ...)}
   */
  public AutoRevertSettings {
    List<String> errors = new ArrayList<>();
    if (window == null
        || window.toMillis() % 1000 != 0
        || window.getSeconds() < 1
        || window.getSeconds() > 600) {
      errors.add("window: " + window + " (expected: whole seconds, 1 to 600)");
    }
    check(
        errors,
        failureRatePercent >= 0 && failureRatePercent <= 100,
        "failureRatePercent",
        failureRatePercent,
        "0..100");
    check(errors, minimumVolume >= 1, "minimumVolume", minimumVolume, "at least 1");
    check(
        errors,
        p99Threshold != null && !p99Threshold.isNegative(),
        "p99Threshold",
        p99Threshold,
        "zero (off) or a positive duration");
    check(
        errors,
        consecutiveFailures >= 0,
        "consecutiveFailures",
        consecutiveFailures,
        "0 (off) or more");
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
  }

  private static void check(
      List<String> errors, boolean ok, String name, Object value, String expected) {
    if (!ok) {
      errors.add(name + ": " + value + " (expected: " + expected + ")");
    }
  }
}
