package io.docshift.read;

import static java.util.Objects.requireNonNull;

import io.docshift.ledger.DocumentChanges;
import io.docshift.ledger.LedgerKey;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's {@link VerifiedCopies} in step with the writes and deletes of every
 * instance on the same ledger. {@link #changed} is the write path's hook: it drops the key here at
 * once (read-your-write) and appends it to the ledger's {@link DocumentChanges} feed; a poller
 * reads the feed every {@code period} and drops the keys the fleet changed, so another instance's
 * change stops steering reads here within about one period instead of the cache TTL.
 *
 * <p>Works the same on H2 and PostgreSQL (plain polling, no notifications). When the feed cannot be
 * written or read, the cache TTL remains the bound; failures are logged, never thrown to a write.
 */
public final class ChangeFeed implements Consumer<LedgerKey>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  /** Re-read this many seconds of rows each poll: covers rows committed out of sequence order. */
  private static final int LOOKBACK_SECONDS = 3;

  /** Rows older than this are pruned; far beyond any poll delay the look-back tolerates. */
  private static final int KEEP_SECONDS = 60;

  private final DocumentChanges changes;
  private final VerifiedCopies copies;
  private final ScheduledExecutorService worker;
  private final long pruneEveryPolls;
  private long cursor;
  private long polls;

  private ChangeFeed(DocumentChanges changes, VerifiedCopies copies, Duration period) {
    this.changes = changes;
    this.copies = copies;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "docshift-change-feed");
              t.setDaemon(true);
              return t;
            });
    // Pruning every half KEEP_SECONDS keeps the table small without a query per poll.
    this.pruneEveryPolls = Math.max(1, KEEP_SECONDS * 1000L / 2 / period.toMillis());
  }

  /**
   * Starts polling {@code changes} every {@code period} from the feed's current head.
   *
   * @throws io.docshift.ledger.LedgerException when the head cannot be read
   */
  public static ChangeFeed start(DocumentChanges changes, VerifiedCopies copies, Duration period) {
    requireNonNull(changes, "changes");
    requireNonNull(copies, "copies");
    requireNonNull(period, "period");
    if (period.toMillis() <= 0) {
      throw new IllegalArgumentException("period: " + period + " (expected: >= 1 ms)");
    }
    ChangeFeed feed = new ChangeFeed(changes, copies, period);
    feed.cursor = changes.head();
    long millis = period.toMillis();
    feed.worker.scheduleWithFixedDelay(feed::pollQuietly, millis, millis, TimeUnit.MILLISECONDS);
    return feed;
  }

  /** This instance changed {@code key}'s ledger row: forget it here, tell the others. */
  @Override
  public void accept(LedgerKey key) {
    copies.invalidate(key);
    try {
      // Off the caller's thread: the write path never waits for the feed.
      worker.execute(() -> recordQuietly(key));
    } catch (RejectedExecutionException closed) {
      LOG.debug("change feed closed; {} not announced", key);
    }
  }

  private void recordQuietly(LedgerKey key) {
    try {
      changes.record(key);
    } catch (RuntimeException e) {
      LOG.warn(
          "cannot announce the change of {}; other instances see it after the cache TTL", key, e);
    }
  }

  /** Only ever runs on the worker thread, so the cursor needs no lock. */
  private void pollQuietly() {
    try {
      DocumentChanges.Page page = changes.after(cursor, LOOKBACK_SECONDS);
      page.keys().forEach(copies::invalidate);
      cursor = page.cursor();
      if (++polls % pruneEveryPolls == 0) {
        changes.prune(KEEP_SECONDS);
      }
    } catch (RuntimeException e) {
      LOG.warn("change feed poll failed; retrying next period", e);
    }
  }

  /** Stops polling; changes not yet announced are dropped (the others fall back to the TTL). */
  @Override
  public void close() {
    worker.shutdownNow();
  }
}
