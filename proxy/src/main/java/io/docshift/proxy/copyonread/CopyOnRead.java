package io.docshift.proxy.copyonread;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.docshift.copier.ByteRate;
import io.docshift.copier.DocumentCopier;
import io.docshift.copier.Retrier;
import io.docshift.copier.Spool;
import io.docshift.core.config.CopyOnReadConfig;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.CopyOnReadOutcome;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.retry.Backoff;
import io.docshift.core.retry.Sleeper;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.Documents;
import io.docshift.read.CloudinaryReadListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copy on read: an original a client read from Cloudinary while S3 lacks it is copied into S3 by
 * the backfill's {@link DocumentCopier}, so hot documents migrate first and the backfill's tail is
 * the cold data.
 *
 * <p><b>Why a second download, not a tee of the client's bytes.</b> When the read ends (its body
 * completed, or the client left after it started) the key is queued, and a worker downloads the
 * original again and runs the copier on it. Teeing the served bytes into a spool would save that
 * egress, but it would put spool file writes on the event loop's path (or a hand-off per buffer),
 * make a slow spool slow the client, and a client that leaves mid-body would leave nothing
 * copyable. The second download keeps the read path untouched (the body passes through, the queue
 * hears of it after the client did), and every rule of the copier holds unchanged: {@code
 * Content-MD5} and SHA-256 from a complete download, a conditional put, {@code verified} only when
 * the MD5 equals Cloudinary's etag, never over a newer dual-written object, never reviving a
 * tombstone ({@link ReadCopy} says which rows are copied).
 *
 * <p><b>Budgets.</b> One copy per key in flight, and a key tried in the last {@code
 * retryAfterMillis} is not tried again (neither is counted: they are the same read's copy). At most
 * {@code maxConcurrent} copies run, {@code queueSize} wait; a read beyond them is dropped. Each
 * copy takes its size from a {@link ByteRate} of {@code maxBytesPerSecond} before it starts, and is
 * dropped when the budget is spent, never delayed. Dropped copies are counted and left to the next
 * read or the backfill. {@link #served} never blocks and never throws, so nothing here can delay or
 * fail the client's read.
 */
public final class CopyOnRead implements CloudinaryReadListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CopyOnRead.class);

  /** Longest wait for one store call or one document's transfer, as the repair worker's. */
  private static final Duration DOCUMENT_TIMEOUT = Duration.ofMinutes(5);

  /** Heap the copies' spools share; larger documents spool to disk. */
  private static final int SPOOL_MEMORY_BYTES = 8 << 20;

  /** Recently tried keys remembered per instance; the oldest are forgotten first. */
  private static final long RECENT_MAX_ENTRIES = 100_000;

  /** One copy of one document; see {@link ReadCopy}. */
  @FunctionalInterface
  interface Copy {
    CopyOnReadOutcome copy(DocumentKey key) throws InterruptedException;
  }

  private final Copy copy;
  private final MetricsRecorder metrics;
  private final ThreadPoolExecutor workers;
  private final Set<DocumentKey> inFlight = ConcurrentHashMap.newKeySet();
  private final Cache<DocumentKey, Boolean> recent;

  CopyOnRead(CopyOnReadConfig config, Copy copy, MetricsRecorder metrics, Ticker ticker) {
    this.copy = copy;
    this.metrics = metrics;
    this.workers = workers(config);
    this.recent =
        Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMillis(config.retryAfterMillis()))
            .maximumSize(RECENT_MAX_ENTRIES)
            .ticker(ticker)
            .build();
  }

  /**
   * Copy on read over these stores: Cloudinary to download from (signing private and authenticated
   * originals), S3 to put to, the ledger's rows to settle.
   *
   * @param spoolDir where downloads larger than the shared heap budget are spooled
   */
  public static CopyOnRead start(
      CopyOnReadConfig config,
      Documents documents,
      DocumentStore cloudinary,
      DocumentStore s3,
      Path spoolDir,
      MetricsRecorder metrics) {
    requireNonNull(config, "config");
    requireNonNull(metrics, "metrics");
    // A couple of quick retries smooth over a dropped connection; the backfill does the rest.
    Backoff backoff =
        Backoff.halfJitter(Duration.ofMillis(200), Duration.ofSeconds(2), new SplittableRandom());
    DocumentCopier copier =
        new DocumentCopier(
            documents,
            cloudinary,
            s3,
            new Spool(spoolDir, SPOOL_MEMORY_BYTES, DOCUMENT_TIMEOUT),
            new Retrier(2, backoff, Sleeper.system()),
            DOCUMENT_TIMEOUT);
    ByteRate bytes =
        // Only tryTake is used (a copy over the budget is dropped): no wait, no stop signal.
        new ByteRate(config.maxBytesPerSecond(), System::nanoTime, Sleeper.system(), () -> true);
    return new CopyOnRead(
        config, new ReadCopy(documents, copier, bytes), metrics, Ticker.systemTicker());
  }

  private static ThreadPoolExecutor workers(CopyOnReadConfig config) {
    BlockingQueue<Runnable> queue =
        config.queueSize() == 0
            ? new SynchronousQueue<>()
            : new ArrayBlockingQueue<>(config.queueSize());
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            config.maxConcurrent(),
            config.maxConcurrent(),
            30,
            TimeUnit.SECONDS,
            queue,
            DaemonThreads.numbered("docshift-copy-on-read"));
    executor.allowCoreThreadTimeOut(true); // a quiet instance keeps no copy threads
    return executor;
  }

  @Override
  public void served(DocumentKey key) {
    if (recent.getIfPresent(key) != null || !inFlight.add(key)) {
      return;
    }
    try {
      workers.execute(() -> run(key));
    } catch (RejectedExecutionException e) {
      inFlight.remove(key);
      metrics.copyOnRead(CopyOnReadOutcome.DROPPED);
    }
  }

  private void run(DocumentKey key) {
    CopyOnReadOutcome outcome;
    try {
      outcome = copy.copy(key);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping: the backfill copies it
      inFlight.remove(key);
      return;
    } catch (RuntimeException e) {
      LOG.warn("copy on read of {} failed", key, e);
      outcome = CopyOnReadOutcome.FAILED;
    }
    if (outcome != CopyOnReadOutcome.DROPPED) {
      recent.put(key, Boolean.TRUE); // before leaving flight, so no read slips in between
    }
    inFlight.remove(key);
    metrics.copyOnRead(outcome);
  }

  /** Stops the workers, interrupting copies in flight (their rows stay as the ledger had them). */
  @Override
  public void close() {
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("copies on read still running after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
