package io.docshift.read;

import static java.util.Objects.requireNonNull;

import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.DocumentChanges;
import io.docshift.ledger.LedgerKey;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's {@link VerifiedCopies} in step with every change of the ledger's rows, made
 * by any instance, the backfill, the repair worker or {@code verify}: the ledger announces each
 * change of what a reader may be served on its {@link DocumentChanges} feed in the change's own
 * transaction, and a poller reads the feed every {@code period} and drops the keys that changed, so
 * a change stops steering reads here within about one period instead of the cache TTL. {@link
 * #accept} is the write path's hook: it drops the key here at once (read-your-write).
 *
 * <p>Works the same on H2 and PostgreSQL (plain polling, no notifications). When a poll fails (or
 * hangs), the cache trusts only rows read in the last {@link #MAX_LAG} until a poll succeeds again,
 * so the bound holds without the feed at the price of more ledger lookups; the failure is counted
 * ({@link MetricsRecorder#changeFeedFailure}) and logged once per outage.
 */
public final class ChangeFeed implements Consumer<LedgerKey>, AutoCloseable {
  /** How far behind the fleet's changes a read may be: the promise to the fleet's readers. */
  static final Duration MAX_LAG = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  /** Re-read this many seconds of rows each poll: covers rows committed out of sequence order. */
  private static final int LOOKBACK_SECONDS = 3;

  /** Rows older than this are pruned; far beyond any poll delay the look-back tolerates. */
  private static final int KEEP_SECONDS = 60;

  private final DocumentChanges changes;
  private final VerifiedCopies copies;
  private final MetricsRecorder metrics;
  private final ScheduledExecutorService worker;
  private final long pruneEveryPolls;
  private long cursor;
  private long polls;
  private long failures;

  private ChangeFeed(
      DocumentChanges changes, VerifiedCopies copies, Duration period, MetricsRecorder metrics) {
    this.changes = changes;
    this.copies = copies;
    this.metrics = metrics;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("docshift-change-feed"));
    // Pruning every half KEEP_SECONDS keeps the table small without a query per poll.
    this.pruneEveryPolls = Math.max(1, KEEP_SECONDS * 1000L / 2 / period.toMillis());
  }

  /**
   * Starts polling {@code changes} every {@code period} from the feed's current head; failed polls
   * are counted on {@code metrics}.
   *
   * @throws io.docshift.ledger.LedgerException when the head cannot be read
   */
  public static ChangeFeed start(
      DocumentChanges changes, VerifiedCopies copies, Duration period, MetricsRecorder metrics) {
    requireNonNull(changes, "changes");
    requireNonNull(copies, "copies");
    requireNonNull(period, "period");
    requireNonNull(metrics, "metrics");
    if (period.toMillis() <= 0) {
      throw new IllegalArgumentException("period: " + period + " (expected: >= 1 ms)");
    }
    ChangeFeed feed = new ChangeFeed(changes, copies, period, metrics);
    long mark = copies.now();
    feed.cursor = changes.head();
    copies.followed(MAX_LAG, mark);
    long millis = period.toMillis();
    feed.worker.scheduleWithFixedDelay(feed::poll, millis, millis, TimeUnit.MILLISECONDS);
    return feed;
  }

  /**
   * This instance changed {@code key}'s ledger row: forget it here at once. The ledger announced
   * the change to the others in the same transaction.
   */
  @Override
  public void accept(LedgerKey key) {
    copies.invalidate(key);
  }

  /**
   * One poll: drops the keys changed since the last one. Runs on the worker thread (tests call it
   * directly on a feed whose period never comes), so the cursor needs no lock.
   */
  void poll() {
    long mark = copies.now(); // the poll sees every change committed before it starts
    try {
      DocumentChanges.Page page = changes.after(cursor, LOOKBACK_SECONDS);
      page.keys().forEach(copies::invalidate);
      cursor = page.cursor();
      copies.caughtUp(mark);
      recovered();
      if (++polls % pruneEveryPolls == 0) {
        changes.prune(KEEP_SECONDS);
      }
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void failed(RuntimeException e) {
    metrics.changeFeedFailure();
    if (failures++ == 0) {
      LOG.warn(
          "change feed poll failed; until a poll succeeds the read cache trusts no ledger row"
              + " read more than {} ms ago",
          MAX_LAG.toMillis(),
          e);
    } else {
      LOG.debug("change feed poll failed again ({} in a row)", failures, e);
    }
  }

  private void recovered() {
    if (failures > 0) {
      LOG.info("change feed polled again after {} failed polls", failures);
      failures = 0;
    }
  }

  /**
   * Stops polling; a cache still in use then trusts only rows read in the last {@link #MAX_LAG}.
   */
  @Override
  public void close() {
    worker.shutdownNow();
  }
}
