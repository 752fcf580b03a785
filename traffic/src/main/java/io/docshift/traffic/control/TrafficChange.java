package io.docshift.traffic.control;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.traffic.TrafficState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator's requested change: any subset of the dials and auto-revert rules; unset fields keep
 * their value. Built with {@link #builder()}; {@link Builder#build()} rejects out-of-range values
 * with {@code name: value (expected: ...)}, so an invalid request never reaches the store.
 */
public final class TrafficChange {
  private final Map<String, Object> fields;

  private TrafficChange(Map<String, Object> fields) {
    this.fields = Map.copyOf(fields);
  }

  /** An empty change. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether nothing is asked. */
  public boolean isEmpty() {
    return fields.isEmpty();
  }

  /** Whether the change moves reads or writes (the dials a trip latches). */
  boolean touchesRouting() {
    return fields.containsKey("s3ReadPercent") || fields.containsKey("writeMode");
  }

  TrafficControlState applyTo(TrafficControlState state) {
    TrafficState t = state.traffic();
    TrafficState traffic =
        new TrafficState(
            (Integer) fields.getOrDefault("s3ReadPercent", t.s3ReadPercent()),
            (WriteMode) fields.getOrDefault("writeMode", t.writeMode()),
            (Integer) fields.getOrDefault("shadowPercent", t.shadowPercent()));
    AutoRevertSettings a = state.autoRevert();
    AutoRevertSettings rules =
        new AutoRevertSettings(
            (Boolean) fields.getOrDefault("autoRevert.enabled", a.enabled()),
            (Boolean) fields.getOrDefault("autoRevert.dryRun", a.dryRun()),
            (Duration) fields.getOrDefault("autoRevert.windowSeconds", a.window()),
            (Integer) fields.getOrDefault("autoRevert.failureRatePercent", a.failureRatePercent()),
            (Integer) fields.getOrDefault("autoRevert.minimumVolume", a.minimumVolume()),
            (Duration) fields.getOrDefault("autoRevert.p99Millis", a.p99Threshold()),
            (Integer)
                fields.getOrDefault("autoRevert.consecutiveFailures", a.consecutiveFailures()));
    return state.withTraffic(traffic).withAutoRevert(rules);
  }

  @Override
  public String toString() {
    return new java.util.TreeMap<>(fields).toString();
  }

  /** Collects a change; every setter may be called at most once in effect (the last wins). */
  public static final class Builder {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    private Builder() {}

    /** S3 read weight, 0..100. */
    public Builder s3ReadPercent(int percent) {
      return percent("s3ReadPercent", percent);
    }

    /** Write mode. */
    public Builder writeMode(WriteMode mode) {
      return put("writeMode", java.util.Objects.requireNonNull(mode, "mode"));
    }

    /** Shadow-read share, 0..100. */
    public Builder shadowPercent(int percent) {
      return percent("shadowPercent", percent);
    }

    /** Whether auto-revert evaluates at all. */
    public Builder autoRevertEnabled(boolean enabled) {
      return put("autoRevert.enabled", enabled);
    }

    /** Dry run: trips are reported (audit, log, metric) but change nothing. */
    public Builder dryRun(boolean dryRun) {
      return put("autoRevert.dryRun", dryRun);
    }

    /** Sliding window length, 1..600 s. */
    public Builder windowSeconds(int seconds) {
      check("autoRevert.windowSeconds", seconds, 1, 600, "1..600");
      return put("autoRevert.windowSeconds", Duration.ofSeconds(seconds));
    }

    /** S3 fault rate that trips, 0 (off)..100. */
    public Builder failureRatePercent(int percent) {
      return percent("autoRevert.failureRatePercent", percent);
    }

    /** S3 calls the window needs before rate and p99 rules apply, at least 1. */
    public Builder minimumVolume(int calls) {
      check("autoRevert.minimumVolume", calls, 1, Integer.MAX_VALUE, "at least 1");
      return put("autoRevert.minimumVolume", calls);
    }

    /** S3 p99 latency that trips, 0 (off) or more milliseconds (at most one hour). */
    public Builder p99Millis(long millis) {
      check("autoRevert.p99Millis", millis, 0, 3_600_000, "0 (off)..3600000");
      return put("autoRevert.p99Millis", Duration.ofMillis(millis));
    }

    /** S3 faults in a row that trip, 0 (off) or more. */
    public Builder consecutiveFailures(int count) {
      check("autoRevert.consecutiveFailures", count, 0, Integer.MAX_VALUE, "0 (off) or more");
      return put("autoRevert.consecutiveFailures", count);
    }

    /** Records an error found while parsing (e.g. an unknown field), reported by {@link #build}. */
    public Builder reject(String name, Object value, String expected) {
      errors.add(name + ": " + value + " (expected: " + expected + ")");
      return this;
    }

    /**
     * The change.
     *
     * @throws IllegalArgumentException listing every invalid value as {@code name: value (expected:
     *     ...)}
     */
    public TrafficChange build() {
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", errors));
      }
      return new TrafficChange(fields);
    }

    private Builder percent(String name, int value) {
      check(name, value, 0, 100, "0..100");
      return put(name, value);
    }

    private void check(String name, long value, long min, long max, String expected) {
      if (value < min || value > max) {
        reject(name, value, expected);
      }
    }

    private Builder put(String name, Object value) {
      fields.put(name, value);
      return this;
    }
  }
}
