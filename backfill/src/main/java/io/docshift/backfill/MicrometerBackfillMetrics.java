package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 *       docshift.backfill.queue.remaining} gauges.
 * </ul>
 */
public final class MicrometerBackfillMetrics implements BackfillMetrics {
  private final MeterRegistry registry;
  private final Counter bytes;
  private final Counter listed;
  private final AtomicLong budget = new AtomicLong(-1);
  private final AtomicLong queue = new AtomicLong(-1);

  /** Registers the meters on {@code registry}. */
  public MicrometerBackfillMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    this.bytes = Counter.builder("docshift.backfill.bytes").baseUnit("bytes").register(registry);
    this.listed = Counter.builder("docshift.backfill.listed").register(registry);
    registry.gauge("docshift.backfill.admin.budget.remaining", budget);
    registry.gauge("docshift.backfill.queue.remaining", queue);
  }

  private void document(String result, String reason) {
    registry.counter("docshift.backfill.documents", "result", result, "reason", reason).increment();
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
    registry.counter("docshift.backfill.admin.calls", "outcome", outcome).increment();
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
