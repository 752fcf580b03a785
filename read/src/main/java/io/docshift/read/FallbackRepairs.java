package io.docshift.read;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.LogIds;
import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.outcome.Outcome;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link FallbackListener}: counts every fallback and mid-body failover, and queues
 * the document for an S3 repair ({@code PUT}) in the ledger's repair outbox. The enqueue runs on
 * {@code executor} (JDBC blocks) and is skipped for a key queued less than {@code dedupeWindow}
 * ago, so an S3 outage does not turn every read into a database write. A failed enqueue is logged,
 * never surfaced to the client: the repair drainer and {@code verify} catch the document later.
 */
public final class FallbackRepairs implements FallbackListener {
  private static final Logger LOG = LoggerFactory.getLogger(FallbackRepairs.class);

  private final BiConsumer<LedgerKey, String> enqueue;
  private final MetricsRecorder metrics;
  private final Executor executor;
  private final Cache<LedgerKey, Boolean> recentlyQueued;

  /**
   * @param enqueue queues a repair, e.g. {@code (k, reason) -> outbox.enqueue(k, PUT, reason)}
   * @param dedupeWindow how long a queued key is not queued again
   * @param maxKeys most keys remembered for deduplication
   */
  public FallbackRepairs(
      BiConsumer<LedgerKey, String> enqueue,
      MetricsRecorder metrics,
      Executor executor,
      Duration dedupeWindow,
      long maxKeys,
      Ticker ticker) {
    this.enqueue = requireNonNull(enqueue, "enqueue");
    this.metrics = requireNonNull(metrics, "metrics");
    this.executor = requireNonNull(executor, "executor");
    this.recentlyQueued =
        Caffeine.newBuilder()
            .expireAfterWrite(requireNonNull(dedupeWindow, "dedupeWindow"))
            .maximumSize(maxKeys)
            .ticker(requireNonNull(ticker, "ticker"))
            .build();
  }

  /** The usual wiring: {@code outbox.enqueue(key, PUT, reason)}. */
  public static BiConsumer<LedgerKey, String> outboxPut(io.docshift.ledger.RepairOutbox outbox) {
    requireNonNull(outbox, "outbox");
    return (key, reason) -> outbox.enqueue(key, RepairOperation.PUT, reason);
  }

  @Override
  public void fellBack(DocumentKey key, Outcome cause) {
    metrics.fallback(cause);
    queue(key, "read fallback to cloudinary: s3 " + cause.tag());
  }

  /** Counts it and queues a repair, whatever Cloudinary did: S3 broke off a verified copy. */
  @Override
  public void failedOver(DocumentKey key, Outcome cause, FailoverOutcome outcome) {
    metrics.failover(cause, outcome);
    queue(key, "read failover to cloudinary (" + outcome.tag() + "): s3 " + cause.tag());
  }

  private void queue(DocumentKey key, String reason) {
    LedgerKey ledgerKey = LedgerKey.of(key);
    if (recentlyQueued.asMap().putIfAbsent(ledgerKey, Boolean.TRUE) != null) {
      return;
    }
    try {
      executor.execute(() -> enqueue(ledgerKey, reason));
    } catch (RejectedExecutionException e) {
      recentlyQueued.invalidate(ledgerKey);
      LOG.warn("repair of {} not queued ({}): executor refused", LogIds.of(ledgerKey), reason);
    }
  }

  private void enqueue(LedgerKey key, String reason) {
    try {
      enqueue.accept(key, reason);
    } catch (RuntimeException e) {
      recentlyQueued.invalidate(key);
      LOG.warn("repair of {} not queued ({}): {}", LogIds.of(key), reason, e.toString());
    }
  }
}
