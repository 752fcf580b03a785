package io.docshift.proxy.graphql;

import static java.util.Objects.requireNonNull;

import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.CopyOnReadOutcome;
import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.metrics.HedgeOutcome;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.metrics.ReadLatency;
import io.docshift.core.metrics.ShadowOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.RecentOutcomes;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A metrics recorder that passes everything on and also counts fallbacks, shadow outcomes and
 * delivery reads by {@link ReadLatency} per minute, adding the counts to the ledger's {@code
 * recent_outcomes} every few seconds on a thread of its own, so {@code Query.recentOutcomes} shows
 * the whole fleet's and the backfill paces itself by the fleet's reads. A request only bumps an
 * in-memory counter; a ledger that cannot be written loses those seconds' counts, never a request.
 */
public final class OutcomeFeed implements MetricsRecorder, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeFeed.class);
  private static final long FLUSH_SECONDS = 5;

  private final MetricsRecorder delegate;
  private final Ledger ledger;
  private final Clock clock;
  private final String instance;
  private final Map<RecentOutcomes.Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  private OutcomeFeed(MetricsRecorder delegate, Ledger ledger, Clock clock, String instance) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.ledger = requireNonNull(ledger, "ledger");
    this.clock = clock;
    this.instance = instance;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("docshift-outcome-feed"));
  }

  /** Wraps {@code delegate}; this JVM is named by its pid and host. */
  public static OutcomeFeed start(MetricsRecorder delegate, Ledger ledger) {
    return start(
        delegate, ledger, Clock.systemUTC(), ManagementFactory.getRuntimeMXBean().getName());
  }

  static OutcomeFeed start(MetricsRecorder delegate, Ledger ledger, Clock clock, String instance) {
    OutcomeFeed feed = new OutcomeFeed(delegate, ledger, clock, instance);
    feed.timer.scheduleAtFixedRate(
        feed::flushQuietly, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
    return feed;
  }

  @Override
  public void request(
      Operation operation,
      Optional<Backend> backend,
      Optional<ResourceType> resourceType,
      Outcome outcome,
      long nanos) {
    delegate.request(operation, backend, resourceType, outcome, nanos);
    if (operation == Operation.GET || operation == Operation.HEAD) {
      count(ReadLatency.KIND, ReadLatency.of(outcome, nanos).name());
    }
  }

  @Override
  public void fallback(Outcome cause) {
    delegate.fallback(cause);
    count("fallback", cause.name());
  }

  @Override
  public void failover(Outcome cause, FailoverOutcome outcome) {
    delegate.failover(cause, outcome);
  }

  @Override
  public void hedge(HedgeOutcome outcome) {
    delegate.hedge(outcome);
  }

  @Override
  public void ledgerLookupFailure() {
    delegate.ledgerLookupFailure();
  }

  @Override
  public void changeFeedFailure() {
    delegate.changeFeedFailure();
  }

  @Override
  public void shadow(ShadowOutcome outcome, String rule) {
    delegate.shadow(outcome, rule);
    count("shadow", outcome == ShadowOutcome.IGNORED ? "IGNORED/" + rule : outcome.name());
  }

  @Override
  public void secondaryWrite(Backend secondary, Outcome outcome) {
    delegate.secondaryWrite(secondary, outcome);
  }

  @Override
  public void repair(String operation, Outcome outcome) {
    delegate.repair(operation, outcome);
  }

  @Override
  public void copyOnRead(CopyOnReadOutcome outcome) {
    delegate.copyOnRead(outcome);
  }

  @Override
  public void connectionClosed(ConnectionLimit limit) {
    delegate.connectionClosed(limit);
  }

  private void count(String kind, String outcome) {
    Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    counts
        .computeIfAbsent(new RecentOutcomes.Key(minute, kind, outcome), k -> new LongAdder())
        .increment();
  }

  /** Adds what was counted since the last flush to the ledger. */
  void flush() {
    Instant current = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    Map<RecentOutcomes.Key, Long> batch = new HashMap<>();
    counts.forEach(
        (key, adder) -> {
          long n = adder.sumThenReset();
          if (n > 0) {
            batch.put(key, n);
          }
          if (key.minute().isBefore(current)) {
            // A past minute gets no new counts; one bumped in this very instant is lost (a count,
            // never a request).
            counts.remove(key, adder);
          }
        });
    ledger.recentOutcomes().add(instance, batch);
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("recent outcomes not written: {}", e.getMessage());
    }
  }

  /** Stops the timer and writes the last counts. */
  @Override
  public void close() {
    timer.shutdownNow();
    flushQuietly();
  }
}
