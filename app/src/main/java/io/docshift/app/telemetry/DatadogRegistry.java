package io.docshift.app.telemetry;

import io.docshift.core.config.DatadogConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.util.NamedThreadFactory;
import io.micrometer.datadog.DatadogMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Builds Micrometer's Datadog registry from {@code datadog.*}. What it posts (see {@code
 * docs/metrics.md}): counters and gauges under their own names, timers as {@code .count}, {@code
 * .sum}, {@code .avg} and {@code .max}, and, for timers with a percentile histogram (request
 * latency), {@code .percentile} gauges tagged {@code phi:0.5|0.95|0.99}. Datadog's HTTP API takes
 * no histogram buckets, so for Datadog the histogram becomes client-side percentiles; Prometheus
 * keeps the buckets.
 */
final class DatadogRegistry {
  static final double[] PERCENTILES = {0.5, 0.95, 0.99};
  static final Duration PERCENTILE_WINDOW = Duration.ofMinutes(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private DatadogRegistry() {}

  static DatadogMeterRegistry create(DatadogConfig config, Clock clock) {
    DatadogMeterRegistry registry =
        DatadogMeterRegistry.builder(micrometerConfig(config))
            .clock(clock)
            .httpClient(new DatadogSender(TIMEOUT))
            .threadFactory(new NamedThreadFactory("docshift-datadog"))
            .build();
    registry.config().meterFilter(percentilesInsteadOfHistograms(config.stepSeconds()));
    registry.config().commonTags("host", host(config));
    config.tags().forEach((key, value) -> registry.config().commonTags(key, value));
    return registry;
  }

  private static io.micrometer.datadog.DatadogConfig micrometerConfig(DatadogConfig config) {
    return new io.micrometer.datadog.DatadogConfig() {
      @Override
      public String get(String key) {
        return null; // everything else: Micrometer's defaults
      }

      @Override
      public String apiKey() {
        return config.apiKey();
      }

      @Override
      public String uri() {
        return config.uri().toString();
      }

      @Override
      public Duration step() {
        return Duration.ofSeconds(config.stepSeconds());
      }

      @Override
      public String hostTag() {
        return "host";
      }

      @Override
      public String toString() {
        return "datadog " + config.uri();
      }
    };
  }

  /**
   * Client-side p50/p95/p99 over the last {@link #PERCENTILE_WINDOW} (or one step, if longer),
   * instead of histogram buckets Datadog's series API cannot take. Without a fixed window the
   * percentiles would decay within one step (Micrometer's step default), and a short step would
   * post zeros for latencies a few seconds old.
   */
  private static MeterFilter percentilesInsteadOfHistograms(int stepSeconds) {
    Duration window = Duration.ofSeconds(Math.max(stepSeconds, PERCENTILE_WINDOW.toSeconds()));
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (!Boolean.TRUE.equals(config.isPercentileHistogram())) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .percentiles(PERCENTILES)
            .expiry(window)
            .bufferLength(3)
            .build()
            .merge(config);
      }
    };
  }

  /** The configured host, else this machine's name. */
  static String host(DatadogConfig config) {
    if (!config.host().isEmpty()) {
      return config.host();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String fromEnvironment = System.getenv("HOSTNAME");
      return fromEnvironment == null || fromEnvironment.isBlank() ? "unknown" : fromEnvironment;
    }
  }
}
