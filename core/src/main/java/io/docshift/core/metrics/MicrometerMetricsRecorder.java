package io.docshift.core.metrics;

import static java.util.Objects.requireNonNull;

import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link MetricsRecorder} on a Micrometer {@link MeterRegistry} (names and meanings are catalogued
 * in {@code docs/metrics.md}):
 *
 * <ul>
 *   <li>{@value #REQUESTS} timer, tags {@code operation}, {@code backend} ({@code s3}, {@code
 *       cloudinary}, {@code none}) and {@code outcome};
 *   <li>{@value #LATENCY} timer with a percentile histogram, tags {@code operation} and {@code
 *       backend};
 *   <li>{@value #FALLBACKS} counter, tag {@code cause} (the S3 outcome that caused it);
 *   <li>{@value #FAILOVERS} counter, tags {@code cause} (the S3 outcome) and {@code outcome} (a
 *       {@link FailoverOutcome});
 *   <li>{@value #HEDGES} counter, tag {@code outcome} (a {@link HedgeOutcome});
 *   <li>{@value #LEDGER_FAILURES} counter;
 *   <li>{@value #SHADOW} counter, tags {@code outcome} and {@code rule};
 *   <li>{@value #SECONDARY_WRITES} counter, tags {@code backend} and {@code outcome};
 *   <li>{@value #REPAIRS} counter, tags {@code operation} and {@code outcome};
 *   <li>{@value #COPY_ON_READ} counter, tag {@code outcome} (a {@link CopyOnReadOutcome});
 *   <li>{@value #CONNECTIONS_CLOSED} counter, tag {@code reason} (a {@link ConnectionLimit}).
 * </ul>
 *
 * The series that dashboards and monitors query are registered at zero on construction. Meters are
 * created once per tag combination and then looked up in a map, so recording costs no allocation
 * beyond the key.
 */
public final class MicrometerMetricsRecorder implements MetricsRecorder {
  /** Timer of client requests by outcome. */
  public static final String REQUESTS = "docshift.requests";

  /** Timer (percentile histogram) of client request latency. */
  public static final String LATENCY = "docshift.request.latency";

  /** Counter of S3 reads served by Cloudinary instead. */
  public static final String FALLBACKS = "docshift.read.fallbacks";

  /** Counter of S3 reads that failed mid-body and were continued from Cloudinary (or not). */
  public static final String FAILOVERS = "docshift.read.failover";

  /** Counter of hedged S3 reads (Cloudinary asked too after the hedge delay) by outcome. */
  public static final String HEDGES = "docshift.read.hedge";

  /** Counter of failed ledger lookups on the read path. */
  public static final String LEDGER_FAILURES = "docshift.read.ledger.failures";

  /** Counter of failed polls of the ledger's document change feed. */
  public static final String CHANGE_FEED_FAILURES = "docshift.read.changefeed.failures";

  /** Counter of shadow reads by outcome. */
  public static final String SHADOW = "docshift.shadow.comparisons";

  /** Counter of secondary writes of dual-writes by outcome. */
  public static final String SECONDARY_WRITES = "docshift.write.secondary";

  /** Counter of repair-outbox attempts by outcome. */
  public static final String REPAIRS = "docshift.repair.attempts";

  /** Counter of copies into S3 made (or not) because a read was served from Cloudinary. */
  public static final String COPY_ON_READ = "docshift.read.copy_on_read";

  /** Counter of client connections closed by one of the proxy's limits. */
  public static final String CONNECTIONS_CLOSED = "docshift.proxy.connections.closed";

  private static final List<Outcome> FALLBACK_CAUSES =
      List.of(
          Outcome.NOT_FOUND,
          Outcome.S3_TIMEOUT,
          Outcome.S3_5XX,
          Outcome.S3_CONNECT,
          Outcome.S3_THROTTLED);

  private record Pair(String first, String second) {}

  private final MeterRegistry registry;
  private final RequestMeters requests;
  private final Map<Outcome, Counter> fallbacks = new ConcurrentHashMap<>();
  private final Map<Pair, Counter> failovers = new ConcurrentHashMap<>();
  private final Map<Pair, Counter> shadows = new ConcurrentHashMap<>();
  private final Map<Pair, Counter> secondaryWrites = new ConcurrentHashMap<>();
  private final Map<Pair, Counter> repairs = new ConcurrentHashMap<>();
  private final Counter ledgerFailures;
  private final Map<ConnectionLimit, Counter> closes = new EnumMap<>(ConnectionLimit.class);
  private final Map<HedgeOutcome, Counter> hedges = new EnumMap<>(HedgeOutcome.class);
  private final Counter changeFeedFailures;
  private final Map<CopyOnReadOutcome, Counter> copiesOnRead =
      new EnumMap<>(CopyOnReadOutcome.class);

  /** Records into {@code registry}; registers the queried series at zero. */
  public MicrometerMetricsRecorder(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    this.requests = new RequestMeters(registry);
    this.ledgerFailures =
        Counter.builder(LEDGER_FAILURES)
            .description("Read-path ledger lookups that failed (the document was read elsewhere)")
            .register(registry);
    this.changeFeedFailures =
        Counter.builder(CHANGE_FEED_FAILURES)
            .description(
                "Failed polls of the ledger's change feed (read cache trusts only new rows)")
            .register(registry);
    preRegister();
  }

  private void preRegister() {
    requests.preRegister();
    FALLBACK_CAUSES.forEach(cause -> fallbacks.computeIfAbsent(cause, this::fallbackCounter));
    for (Outcome cause : List.of(Outcome.S3_CONNECT, Outcome.S3_TIMEOUT)) {
      // A body breaks off as a reset or closed connection, or a silence between reads.
      for (FailoverOutcome outcome : FailoverOutcome.values()) {
        failoverCounter(cause, outcome);
      }
    }
    for (ShadowOutcome outcome : ShadowOutcome.values()) {
      if (outcome != ShadowOutcome.IGNORED) { // ignored always names its rule
        shadowCounter(outcome, "none");
      }
    }
    for (Backend backend : Backend.values()) {
      secondaryWriteCounter(backend, Outcome.SUCCESS);
    }
    for (String operation : List.of("put", "delete")) {
      repairCounter(operation, Outcome.SUCCESS);
    }
    for (CopyOnReadOutcome outcome : CopyOnReadOutcome.values()) {
      // Every outcome up front, so the map is only read afterwards (from any thread).
      copiesOnRead.put(
          outcome,
          Counter.builder(COPY_ON_READ)
              .description("Copies into S3 of originals reads got from Cloudinary, by outcome")
              .tag("outcome", outcome.tag())
              .register(registry));
    }
    for (HedgeOutcome outcome : HedgeOutcome.values()) {
      // All up front, like the closes below: read-only afterwards.
      hedges.put(
          outcome,
          Counter.builder(HEDGES)
              .description("S3 reads hedged with a Cloudinary read after the hedge delay")
              .tag("outcome", outcome.tag())
              .register(registry));
    }
    for (ConnectionLimit limit : ConnectionLimit.values()) {
      // Every reason up front: the map is then only read, from any event loop, without locking.
      closes.put(
          limit,
          Counter.builder(CONNECTIONS_CLOSED)
              .description("Client connections closed by a proxy limit (slow or silent clients)")
              .tag("reason", limit.tag())
              .register(registry));
    }
  }

  @Override
  public void request(
      Operation operation,
      Optional<Backend> backend,
      Optional<ResourceType> resourceType,
      Outcome outcome,
      long nanos) {
    requireNonNull(operation, "operation");
    requireNonNull(backend, "backend");
    requireNonNull(resourceType, "resourceType");
    requireNonNull(outcome, "outcome");
    requests.record(operation, backend.orElse(null), resourceType.orElse(null), outcome, nanos);
  }

  @Override
  public void fallback(Outcome cause) {
    requireNonNull(cause, "cause");
    fallbacks.computeIfAbsent(cause, this::fallbackCounter).increment();
  }

  private Counter fallbackCounter(Outcome cause) {
    return Counter.builder(FALLBACKS)
        .description("S3 reads that failed before the first byte and Cloudinary served")
        .tag("cause", cause.tag())
        .register(registry);
  }

  @Override
  public void failover(Outcome cause, FailoverOutcome outcome) {
    requireNonNull(cause, "cause");
    requireNonNull(outcome, "outcome");
    failoverCounter(cause, outcome).increment();
  }

  private Counter failoverCounter(Outcome cause, FailoverOutcome outcome) {
    return failovers.computeIfAbsent(
        new Pair(cause.tag(), outcome.tag()),
        key ->
            Counter.builder(FAILOVERS)
                .description("S3 reads that failed mid-body and were continued from Cloudinary")
                .tag("cause", key.first())
                .tag("outcome", key.second())
                .register(registry));
  }

  @Override
  public void hedge(HedgeOutcome outcome) {
    requireNonNull(outcome, "outcome");
    hedges.get(outcome).increment();
  }

  @Override
  public void ledgerLookupFailure() {
    ledgerFailures.increment();
  }

  @Override
  public void changeFeedFailure() {
    changeFeedFailures.increment();
  }

  @Override
  public void shadow(ShadowOutcome outcome, String rule) {
    requireNonNull(outcome, "outcome");
    shadowCounter(outcome, rule).increment();
  }

  private Counter shadowCounter(ShadowOutcome outcome, String rule) {
    return shadows.computeIfAbsent(
        new Pair(outcome.tag(), BoundedTag.of(rule)),
        key ->
            Counter.builder(SHADOW)
                .description("Shadow reads by outcome; rule names why one was ignored")
                .tag("outcome", key.first())
                .tag("rule", key.second())
                .register(registry));
  }

  @Override
  public void secondaryWrite(Backend secondary, Outcome outcome) {
    requireNonNull(secondary, "secondary");
    requireNonNull(outcome, "outcome");
    secondaryWriteCounter(secondary, outcome).increment();
  }

  private Counter secondaryWriteCounter(Backend secondary, Outcome outcome) {
    return secondaryWrites.computeIfAbsent(
        new Pair(secondary.tag(), outcome.tag()),
        key ->
            Counter.builder(SECONDARY_WRITES)
                .description("Secondary writes of dual-writes; failures leave a repair-outbox row")
                .tag("backend", key.first())
                .tag("outcome", key.second())
                .register(registry));
  }

  @Override
  public void repair(String operation, Outcome outcome) {
    requireNonNull(outcome, "outcome");
    repairCounter(operation, outcome).increment();
  }

  @Override
  public void connectionClosed(ConnectionLimit limit) {
    requireNonNull(limit, "limit");
    closes.get(limit).increment();
  }

  @Override
  public void copyOnRead(CopyOnReadOutcome outcome) {
    requireNonNull(outcome, "outcome");
    copiesOnRead.get(outcome).increment();
  }

  private Counter repairCounter(String operation, Outcome outcome) {
    return repairs.computeIfAbsent(
        new Pair(BoundedTag.of(operation), outcome.tag()),
        key ->
            Counter.builder(REPAIRS)
                .description("Repair-outbox rows applied (or not) by the repair worker")
                .tag("operation", key.first())
                .tag("outcome", key.second())
                .register(registry));
  }
}
