package io.docshift.core.metrics;

import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The two request timers: {@value MicrometerMetricsRecorder#REQUESTS} (count, total and max per
 * operation, backend, resource type and outcome) and {@value MicrometerMetricsRecorder#LATENCY} (a
 * percentile histogram per operation and backend, so p50/p95/p99 can be computed across instances).
 * Split in two because a histogram per outcome would multiply the series by thirteen for no
 * question anyone asks: latency is read per store and operation, failures per outcome.
 */
final class RequestMeters {
  /** Buckets outside this range fold into the first or the +Inf bucket. */
  private static final Duration FASTEST = Duration.ofMillis(1);

  private static final Duration SLOWEST = Duration.ofMinutes(2);

  private record OutcomeKey(
      Operation operation, Backend backend, ResourceType resourceType, Outcome outcome) {}

  private record LatencyKey(Operation operation, Backend backend) {}

  private final MeterRegistry registry;
  private final Map<OutcomeKey, Timer> outcomes = new ConcurrentHashMap<>();
  private final Map<LatencyKey, Timer> latencies = new ConcurrentHashMap<>();

  RequestMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code backend} and {@code resourceType} are null when there was none. */
  void record(
      Operation operation,
      Backend backend,
      ResourceType resourceType,
      Outcome outcome,
      long nanos) {
    long positive = Math.max(0, nanos);
    outcomes
        .computeIfAbsent(
            new OutcomeKey(operation, backend, resourceType, outcome), this::outcomeTimer)
        .record(positive, TimeUnit.NANOSECONDS);
    latencies
        .computeIfAbsent(new LatencyKey(operation, backend), this::latencyTimer)
        .record(positive, TimeUnit.NANOSECONDS);
  }

  /**
   * Registers, at zero, the series the dashboard and monitors query, so their panels show 0 rather
   * than "no data" before the first such request: reads and uploads per store, each with success
   * and that store's 5xx (the error-rate queries match {@code outcome:s3_*} and {@code
   * outcome:cloudinary_*}), and read latency per store.
   */
  void preRegister() {
    for (Backend backend : Backend.values()) {
      Outcome fault = backend == Backend.S3 ? Outcome.S3_5XX : Outcome.CLOUDINARY_5XX;
      for (Operation operation : new Operation[] {Operation.GET, Operation.UPLOAD}) {
        for (ResourceType type : ResourceType.values()) {
          outcomes.computeIfAbsent(
              new OutcomeKey(operation, backend, type, Outcome.SUCCESS), this::outcomeTimer);
          outcomes.computeIfAbsent(
              new OutcomeKey(operation, backend, type, fault), this::outcomeTimer);
        }
      }
      latencies.computeIfAbsent(new LatencyKey(Operation.GET, backend), this::latencyTimer);
    }
  }

  private Timer outcomeTimer(OutcomeKey key) {
    return Timer.builder(MicrometerMetricsRecorder.REQUESTS)
        .description("Client requests by operation, serving backend and classified outcome")
        .tag("operation", key.operation().tag())
        .tag("backend", backendTag(key.backend()))
        .tag("resource_type", key.resourceType() == null ? "none" : key.resourceType().wireName())
        .tag("outcome", key.outcome().tag())
        .register(registry);
  }

  private Timer latencyTimer(LatencyKey key) {
    return Timer.builder(MicrometerMetricsRecorder.LATENCY)
        .description("Client request latency, arrival to last byte, by operation and backend")
        .tag("operation", key.operation().tag())
        .tag("backend", backendTag(key.backend()))
        .publishPercentileHistogram()
        .minimumExpectedValue(FASTEST)
        .maximumExpectedValue(SLOWEST)
        .register(registry);
  }

  private static String backendTag(Backend backend) {
    return backend == null ? "none" : backend.tag();
  }
}
