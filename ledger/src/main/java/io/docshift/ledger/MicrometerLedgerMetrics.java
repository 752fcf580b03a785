package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import io.docshift.core.thread.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ledger gauges: documents per S3 state ({@code docshift.ledger.documents{state}}), migration
 * progress and what is left ({@code docshift.migration.progress.percent}, {@code
 * docshift.migration.remaining}), and the repair outbox ({@code docshift.repair.outbox.depth},
 * {@code docshift.repair.outbox.oldest.age} in seconds).
 *
 * <p>One daemon thread re-reads the ledger every poll interval (two queries); gauges read the last
 * poll. So a scrape, a Datadog post or an event loop never touches the database, and a fleet of
 * instances costs the database one poll per instance per interval whatever scrapes them. A failed
 * poll keeps the previous values and counts {@code docshift.ledger.poll.failures}. Every instance
 * of a fleet reports the same shared ledger: aggregate these gauges with {@code max}, not {@code
 * sum}.
 */
public final class MicrometerLedgerMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MicrometerLedgerMetrics.class);

  /** What one poll read. */
  private record Snapshot(Map<S3State, Long> counts, OutboxStats outbox) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), new OutboxStats(0, Duration.ZERO));

    long count(S3State state) {
      return counts.getOrDefault(state, 0L);
    }

    long total() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    long remaining() {
      return count(S3State.ABSENT) + count(S3State.COPIED) + count(S3State.MISMATCH);
    }

    double progressPercent() {
      long total = total();
      return total == 0 ? 0.0 : 100.0 * count(S3State.VERIFIED) / total;
    }
  }

  private final Ledger ledger;
  private final AtomicReference<Snapshot> last = new AtomicReference<>(Snapshot.EMPTY);
  private final Counter failures;
  private final ScheduledExecutorService poller;

  private MicrometerLedgerMetrics(MeterRegistry registry, Ledger ledger) {
    this.ledger = ledger;
    this.failures =
        Counter.builder("docshift.ledger.poll.failures")
            .description("Ledger polls for the ledger gauges that failed (values kept)")
            .register(registry);
    register(registry);
    this.poller =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("docshift-metrics-ledger"));
  }

  /**
   * Registers the gauges, reads the ledger once (so the first scrape has values), then every {@code
   * interval} on a daemon thread until {@link #close()}.
   */
  public static MicrometerLedgerMetrics start(
      MeterRegistry registry, Ledger ledger, Duration interval) {
    requireNonNull(registry, "registry");
    requireNonNull(ledger, "ledger");
    requireNonNull(interval, "interval");
    MicrometerLedgerMetrics metrics = new MicrometerLedgerMetrics(registry, ledger);
    metrics.poll();
    long millis = interval.toMillis();
    metrics.poller.scheduleWithFixedDelay(metrics::poll, millis, millis, TimeUnit.MILLISECONDS);
    return metrics;
  }

  private void register(MeterRegistry registry) {
    for (S3State state : S3State.values()) {
      Gauge.builder("docshift.ledger.documents", last, s -> s.get().count(state))
          .description("Documents in the ledger by S3 state")
          .tag("state", state.name().toLowerCase(Locale.ROOT))
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder("docshift.migration.progress.percent", last, s -> s.get().progressPercent())
        .description("Share of ledger documents verified in S3")
        .baseUnit("percent")
        .strongReference(true)
        .register(registry);
    Gauge.builder("docshift.migration.remaining", last, s -> s.get().remaining())
        .description("Documents still to copy or verify (absent, copied, mismatch)")
        .strongReference(true)
        .register(registry);
    Gauge.builder("docshift.repair.outbox.depth", last, s -> s.get().outbox().depth())
        .description("Pending repair-outbox rows")
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "docshift.repair.outbox.oldest.age",
            last,
            s -> s.get().outbox().oldestAge().toMillis() / 1000.0)
        .description("Age of the oldest pending repair; 0 when none is pending")
        .baseUnit("seconds")
        .register(registry);
  }

  /** Reads the ledger; never throws (it runs on a scheduler that would stop on an exception). */
  void poll() {
    try {
      last.set(new Snapshot(new EnumMap<>(ledger.documents().countByState()), outbox()));
    } catch (RuntimeException e) {
      failures.increment();
      LOG.warn("ledger gauges: poll failed, keeping the last values: {}", e.toString());
    }
  }

  private OutboxStats outbox() {
    return ledger.outbox().stats();
  }

  /** Stops polling; the gauges keep the last values. */
  @Override
  public void close() {
    poller.shutdownNow();
  }
}
