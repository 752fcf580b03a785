package io.docshift.core.metrics;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link MetricsRecorder} on a Micrometer {@link MeterRegistry}:
 *
 * <ul>
 *   <li>{@value #REQUESTS} timer, tags {@code operation}, {@code backend} ({@code s3}, {@code
 *       cloudinary}, {@code none}) and {@code outcome};
 *   <li>{@value #FALLBACKS} counter, tag {@code cause} (the S3 outcome that caused it);
 *   <li>{@value #LEDGER_FAILURES} counter.
 * </ul>
 *
 * Meters are created once per tag combination and then looked up in a map, so recording costs no
 * allocation beyond the key.
 */
public final class MicrometerMetricsRecorder implements MetricsRecorder {
  /** Timer of client requests. */
  public static final String REQUESTS = "docshift.requests";

  /** Counter of S3 reads served by Cloudinary instead. */
  public static final String FALLBACKS = "docshift.read.fallbacks";

  /** Counter of failed ledger lookups on the read path. */
  public static final String LEDGER_FAILURES = "docshift.read.ledger.failures";

  private record TimerKey(Operation operation, Backend backend, Outcome outcome) {}

  private final MeterRegistry registry;
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();
  private final Map<Outcome, Counter> fallbacks = new ConcurrentHashMap<>();
  private final Counter ledgerFailures;

  /** Records into {@code registry}. */
  public MicrometerMetricsRecorder(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    this.ledgerFailures = registry.counter(LEDGER_FAILURES);
  }

  @Override
  public void request(Operation operation, Optional<Backend> backend, Outcome outcome, long nanos) {
    requireNonNull(operation, "operation");
    requireNonNull(backend, "backend");
    requireNonNull(outcome, "outcome");
    TimerKey key = new TimerKey(operation, backend.orElse(null), outcome);
    timers.computeIfAbsent(key, this::timer).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  private Timer timer(TimerKey key) {
    return Timer.builder(REQUESTS)
        .description("Client requests by operation, serving backend and classified outcome")
        .tag("operation", key.operation().tag())
        .tag("backend", key.backend() == null ? "none" : key.backend().tag())
        .tag("outcome", key.outcome().tag())
        .register(registry);
  }

  @Override
  public void fallback(Outcome cause) {
    requireNonNull(cause, "cause");
    fallbacks
        .computeIfAbsent(
            cause,
            c ->
                Counter.builder(FALLBACKS)
                    .description("S3 reads that failed before the first byte and Cloudinary served")
                    .tag("cause", c.tag())
                    .register(registry))
        .increment();
  }

  @Override
  public void ledgerLookupFailure() {
    ledgerFailures.increment();
  }
}
