package io.docshift.app.telemetry;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.metrics.MicrometerRuntimeMetrics;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.datadog.DatadogMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registries of one DocShift process, composed in one place: Prometheus always (served as text
 * by the admin API's {@code GET /metrics}), Datadog when {@code datadog.apiKey} is set, both behind
 * one {@link #registry()} that the Micrometer recorders write to. Binds the JVM and Netty meters.
 * {@link #close()} posts what the last Datadog step holds, so a short-lived process (a backfill)
 * loses nothing.
 */
public final class Telemetry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

  private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Optional<DatadogMeterRegistry> datadog;
  private final MicrometerRuntimeMetrics runtime;

  private Telemetry(DocShiftConfig config, Clock clock) {
    registry.add(prometheus);
    datadog =
        config.datadog().enabled()
            ? Optional.of(DatadogRegistry.create(config.datadog(), clock))
            : Optional.empty();
    datadog.ifPresent(registry::add);
    runtime = MicrometerRuntimeMetrics.bind(registry);
  }

  /** Starts the registries {@code config} asks for; Datadog starts posting every step. */
  public static Telemetry start(DocShiftConfig config) {
    return start(config, Clock.SYSTEM);
  }

  static Telemetry start(DocShiftConfig config, Clock clock) {
    requireNonNull(config, "config");
    Telemetry telemetry = new Telemetry(config, clock);
    if (telemetry.datadog.isPresent()) {
      LOG.info(
          "metrics: posting to Datadog at {} every {} s",
          config.datadog().uri(),
          config.datadog().stepSeconds());
    }
    return telemetry;
  }

  /** Where recorders register meters: every configured registry at once. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter, for {@code GET /metrics}. */
  public String scrape() {
    return prometheus.scrape();
  }

  /** Whether metrics are posted to Datadog. */
  public boolean datadogEnabled() {
    return datadog.isPresent();
  }

  /** Unbinds the JVM meters and posts Datadog's last step, then stops its publisher. */
  @Override
  public void close() {
    runtime.close();
    registry.close(); // closes Prometheus and Datadog too
  }
}
