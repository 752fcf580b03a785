package io.docshift.traffic.control;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.WriteMode;
import io.docshift.traffic.revert.TripRule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * {@link RevertMetrics} on a Micrometer registry: counter {@code docshift.autorevert.trips} tagged
 * {@code rule} and {@code dry_run}, every combination registered at zero; {@link #bindGauges} adds
 * {@code docshift.autorevert.tripped} (0/1), {@code docshift.traffic.s3.read.percent}, {@code
 * docshift.traffic.shadow.percent} and {@code docshift.traffic.write.mode{mode}} (1 for the current
 * mode, 0 for the others): the effective dials, read from the cached state.
 */
public final class MicrometerRevertMetrics implements RevertMetrics {
  private final MeterRegistry registry;

  /** Reports to {@code registry}. */
  public MicrometerRevertMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    for (TripRule rule : TripRule.values()) {
      trips(rule, false);
      trips(rule, true);
    }
  }

  @Override
  public void trip(TripRule rule, boolean dryRun) {
    trips(rule, dryRun).increment();
  }

  private Counter trips(TripRule rule, boolean dryRun) {
    return Counter.builder("docshift.autorevert.trips")
        .description("Auto-revert trips (dry-run trips change nothing)")
        .tag("rule", rule.name().toLowerCase(Locale.ROOT))
        .tag("dry_run", Boolean.toString(dryRun))
        .register(registry);
  }

  /** Registers gauges that read {@code control}'s cached state (never the database). */
  public static void bindGauges(MeterRegistry registry, TrafficControl control) {
    requireNonNull(registry, "registry");
    requireNonNull(control, "control");
    Gauge.builder("docshift.autorevert.tripped", control, c -> c.state().tripped() ? 1 : 0)
        .description("1 while auto-revert is latched")
        .register(registry);
    Gauge.builder("docshift.traffic.s3.read.percent", control, c -> c.current().s3ReadPercent())
        .description("Effective S3 read weight")
        .baseUnit("percent")
        .register(registry);
    Gauge.builder("docshift.traffic.shadow.percent", control, c -> c.current().shadowPercent())
        .description("Effective shadow-read share")
        .baseUnit("percent")
        .register(registry);
    for (WriteMode mode : WriteMode.values()) {
      Gauge.builder(
              "docshift.traffic.write.mode", control, c -> c.current().writeMode() == mode ? 1 : 0)
          .description("1 for the effective write mode, 0 for the others")
          .tag("mode", mode.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }
}
