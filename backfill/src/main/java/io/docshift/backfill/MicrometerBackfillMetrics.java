package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link BackfillMetrics} on a Micrometer registry:
 *
 * <ul>
 *   <li>{@code docshift.backfill.documents{result=copied|skipped|failed|mismatch, reason}} counter
 *       (its rate is the copy rate);
 *   <li>{@code docshift.backfill.bytes} counter of bytes copied;
 *   <li>{@code docshift.backfill.listed} counter of Admin API entries recorded;
 *   <li>{@code docshift.backfill.admin.calls{outcome}} counter;
 *   <li>{@code docshift.backfill.admin.budget.remaining} and {@code
 *       docshift.backfill.queue.remaining} gauges (-1 until known);
 *   <li>{@code docshift.backfill.pace.concurrency} gauge (copies allowed at once; -1 until the run
 *       starts) and {@code docshift.backfill.pace.changes{change=slowed|sped_up}} counter.
 * </ul>
 *
 * Each result and each Admin API outcome is registered at zero on construction (reason {@code
 * none}), so dashboards show 0 rather than "no data" before the first failure.
 */
public final class MicrometerBackfillMetrics implements BackfillMetrics {
  private final MeterRegistry registry;
  private final Counter bytes;
  private final Counter listed;
  private final AtomicLong budget = new AtomicLong(-1);
  private final AtomicLong queue = new AtomicLong(-1);
  private final AtomicLong pace = new AtomicLong(-1);

  /** Registers the meters on {@code registry}. */
  public MicrometerBackfillMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    this.bytes =
        Counter.builder("docshift.backfill.bytes")
            .description("Bytes copied to S3 and verified")
            .baseUnit("bytes")
            .register(registry);
    this.listed =
        Counter.builder("docshift.backfill.listed")
            .description("Admin API entries recorded in the ledger")
            .register(registry);
    Gauge.builder("docshift.backfill.admin.budget.remaining", budget, AtomicLong::get)
        .description("Admin API calls left in this hour; -1 until the first call")
        .strongReference(true)
        .register(registry);
    Gauge.builder("docshift.backfill.queue.remaining", queue, AtomicLong::get)
        .description("Documents the ledger still holds for copying; -1 until counted")
        .strongReference(true)
        .register(registry);
    Gauge.builder("docshift.backfill.pace.concurrency", pace, AtomicLong::get)
        .description("Copies the run allows at once, lowered while the proxies' reads suffer")
        .strongReference(true)
        .register(registry);
    for (String change : List.of("slowed", "sped_up")) {
      paceChanges(change);
    }
    for (String result : List.of("copied", "skipped", "failed", "mismatch")) {
      documents(result, "none");
    }
    for (String outcome : List.of("ok", "throttled", "error")) {
      adminCalls(outcome);
    }
  }

  private Counter documents(String result, String reason) {
    return Counter.builder("docshift.backfill.documents")
        .description("Documents processed by result; reason says why one was not copied")
        .tag("result", result)
        .tag("reason", reason)
        .register(registry);
  }

  private Counter adminCalls(String outcome) {
    return Counter.builder("docshift.backfill.admin.calls")
        .description("Admin API calls by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  private Counter paceChanges(String change) {
    return Counter.builder("docshift.backfill.pace.changes")
        .description("Changes of the run's pace by direction")
        .tag("change", change)
        .register(registry);
  }

  @Override
  public void pace(String change, int concurrency) {
    pace.set(concurrency);
    if (!change.equals("held")) {
      paceChanges(change).increment();
    }
  }

  private void document(String result, String reason) {
    documents(result, reason).increment();
  }

  @Override
  public void listed(int documents) {
    listed.increment(documents);
  }

  @Override
  public void copied(long copiedBytes) {
    document("copied", "none");
    bytes.increment(copiedBytes);
  }

  @Override
  public void skipped(String reason) {
    document("skipped", reason);
  }

  @Override
  public void failed(String reason) {
    document("failed", reason);
  }

  @Override
  public void mismatch() {
    document("mismatch", "md5_differs_from_etag");
  }

  @Override
  public void adminCall(String outcome) {
    adminCalls(outcome).increment();
  }

  @Override
  public void adminBudgetRemaining(int calls) {
    budget.set(calls);
  }

  @Override
  public void queueRemaining(long documents) {
    queue.set(documents);
  }
}
