package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import io.docshift.copier.DocumentCopier;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.key.LogIds;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.retry.Sleeper;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.DocumentTurns;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.OutboxStats;
import io.docshift.ledger.RepairOutbox;
import io.docshift.ledger.RepairTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the ledger's repair outbox: claims due rows ({@link RepairOutbox#claim}, hidden from other
 * drainers for {@link RepairOptions#visibility()}), applies each with bounded concurrency as an
 * idempotent reconciliation towards the primary store's truth, then completes it or reschedules it
 * with the outbox's exponential backoff and jitter. A row is never dropped: one that keeps failing
 * is retried forever at the capped delay and logged at WARN with its attempt count, so the outbox's
 * depth and oldest age (in {@code docshift status}) show it. Rows written as intents before a
 * dual-write are not due until their grace period ends, so a write in flight is never raced.
 *
 * <p>What each operation does is in {@link S3Repair} ({@code PUT}, {@code DELETE}) and {@link
 * CloudinaryRepair} ({@code CLOUDINARY_PUT}, {@code CLOUDINARY_DELETE}); copies to S3 reuse the
 * backfill's verified {@link DocumentCopier}. Every applied or failed row is reported once through
 * {@link MetricsRecorder#repair}.
 *
 * <p>{@link #start()} drains every {@link RepairOptions#interval()} in the background; {@link
 * #runOnce()} drains once in the caller's thread (the CLI, tests). Both may be used on one worker;
 * drains never overlap. The ledger and both stores belong to the caller and stay open; {@link
 * #close()} stops the worker's own threads.
 */
public final class RepairWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RepairWorker.class);

  /** Failures below this many attempts that blame a backend's health are logged at INFO. */
  private static final int QUIET_ATTEMPTS = 3;

  /** How long {@link #close()} lets a drain in progress finish the rows it holds. */
  static final long FINISH_MILLIS = 5_000;

  private final RepairOptions options;
  private final RepairOutbox outbox;
  private final RepairApplier applier;
  private final DocumentTurns turns;
  private final MetricsRecorder metrics;
  private final ExecutorService pool;
  private final ScheduledExecutorService scheduler;
  private final ReentrantLock draining = new ReentrantLock();
  private volatile boolean closed;

  private RepairWorker(Builder b) {
    this.options = b.options;
    this.outbox = b.parts.ledger().outbox();
    this.metrics = b.metrics;
    this.turns = b.turns;
    this.applier = RepairApplier.create(b.options, b.parts, b.sleeper, b.random);
    this.pool =
        Executors.newFixedThreadPool(
            options.concurrency(), DaemonThreads.numbered("docshift-repair"));
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("docshift-repair-drain"));
  }

  /**
   * A builder for a worker over these parts.
   *
   * @param account the Cloudinary account (the Admin API answers what a delivery HEAD cannot)
   * @param cloudinary e.g. {@code CloudinaryDocumentStore} for {@code account}
   * @param s3 e.g. {@code S3DocumentStore}; must honour {@code PutCondition}
   */
  public static Builder builder(
      RepairOptions options,
      Ledger ledger,
      CloudinaryAccount account,
      DocumentStore cloudinary,
      DocumentStore s3) {
    return new Builder(options, ledger, account, cloudinary, s3);
  }

  /**
   * Starts draining in the background, every {@link RepairOptions#interval()} (the first drain
   * after one interval). A failing drain (the ledger unreachable) is logged and tried again.
   *
   * @return this worker
   * @throws IllegalStateException if closed
   */
  public RepairWorker start() {
    if (closed) {
      throw new IllegalStateException("repair worker is closed");
    }
    long every = options.interval().toMillis();
    scheduler.scheduleWithFixedDelay(this::drainQuietly, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  private void drainQuietly() {
    try {
      RepairReport report = runOnce();
      if (report.applied() + report.failed() > 0) {
        LOG.info(
            "repair drain: applied {}, failed {}, remaining {}",
            report.applied(),
            report.failed(),
            report.remaining());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("repair drain failed: {}", e.toString());
    }
  }

  /**
   * Claims and applies due rows until none is due. A row that fails is rescheduled and not tried
   * again in this drain (a drain ends when it claims a row it already handled).
   *
   * @return what this drain did and what is left in the outbox
   * @throws io.docshift.ledger.LedgerException when the ledger cannot be reached
   * @throws InterruptedException when interrupted (rows in flight come back after their claim)
   */
  public RepairReport runOnce() throws InterruptedException {
    draining.lockInterruptibly();
    try {
      long[] counts = new long[2];
      Set<Long> seen = new HashSet<>();
      boolean more = true;
      while (more && !closed) {
        List<RepairTask> batch =
            outbox.claim(options.ownerId(), options.visibility(), options.batchSize());
        more = !batch.isEmpty();
        for (RepairTask task : batch) {
          more &= seen.add(task.id());
        }
        long applied = applyAll(batch);
        counts[0] += applied;
        counts[1] += batch.size() - applied;
      }
      OutboxStats stats = outbox.stats();
      return new RepairReport(counts[0], counts[1], stats.depth(), stats.oldestAge());
    } finally {
      draining.unlock();
    }
  }

  /**
   * Applies a batch on the pool; returns how many were applied. Rows of one document run one after
   * the other, in claim order: a {@code put} (S3 follows Cloudinary) and a {@code cld_put}
   * (Cloudinary follows S3) of one document run side by side could each copy the other store's old
   * bytes and leave the stores swapped.
   */
  private long applyAll(List<RepairTask> batch) throws InterruptedException {
    Map<LedgerKey, List<RepairTask>> byDocument = new LinkedHashMap<>();
    for (RepairTask task : batch) {
      byDocument.computeIfAbsent(task.key(), k -> new ArrayList<>()).add(task);
    }
    List<Future<Long>> running = new ArrayList<>(byDocument.size());
    for (List<RepairTask> tasks : byDocument.values()) {
      running.add(pool.submit(() -> handleInOrder(tasks)));
    }
    long applied = 0;
    try {
      for (Future<Long> future : running) {
        applied += future.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("repair task failed unexpectedly", e.getCause());
    } finally {
      running.forEach(f -> f.cancel(true));
    }
    return applied;
  }

  private long handleInOrder(List<RepairTask> tasks) {
    long applied = 0;
    for (RepairTask task : tasks) {
      applied += handle(task) ? 1 : 0;
    }
    return applied;
  }

  /**
   * Applies one row holding its document's turn: a client operation of the document on this
   * instance (a rename onto it, an upload) then runs wholly before or wholly after the repair,
   * never between the repair's read of the row and its writes to the stores.
   */
  private boolean handle(RepairTask task) {
    LedgerKey key = task.key();
    try {
      DocumentTurns.Turn turn = turns.await(key.resourceType(), key.type(), key.publicId());
      try {
        return settle(task, applier.apply(task));
      } finally {
        turn.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing: the row comes back after its claim
      return false;
    } catch (RuntimeException e) {
      // The ledger failed to record the result: the row comes back after its claim and, every
      // repair being idempotent, is simply applied again.
      LOG.warn(
          "repair {} {}: result not recorded: {}",
          task.operation().tag(),
          LogIds.of(task.key()),
          e);
      return false;
    }
  }

  private boolean settle(RepairTask task, RepairResult result) {
    metrics.repair(task.operation().tag(), result.outcome());
    if (result.applied()) {
      boolean removed = outbox.complete(task);
      LOG.debug(
          "repaired {} {}: {}{}",
          task.operation().tag(),
          LogIds.of(task.key()),
          LogIds.redact(result.detail(), task.key().publicId()),
          removed ? "" : " (queued again meanwhile: due again now)");
      return true;
    }
    RepairTask next = outbox.retry(task, result.detail());
    logFailure(next, result);
    return false;
  }

  private static void logFailure(RepairTask next, RepairResult result) {
    boolean quiet = result.outcome().isBackendFault() && next.attempts() < QUIET_ATTEMPTS;
    String message = "repair {} {} failed ({}, attempt {}), next attempt at {}: {}";
    Object[] args = {
      next.operation().tag(),
      LogIds.of(next.key()),
      result.outcome().tag(),
      next.attempts(),
      next.nextAttemptAt(),
      LogIds.redact(result.detail(), next.key().publicId())
    };
    if (quiet) {
      LOG.info(message, args);
    } else {
      LOG.warn(message, args);
    }
  }

  /**
   * Stops the background drains: a drain in progress claims nothing more and gets {@link
   * #FINISH_MILLIS} to finish the rows it holds; rows still in flight then are interrupted. Every
   * row this worker still holds is then given back to the outbox ({@link RepairOutbox#release}),
   * due at once for another instance rather than after its claim lapses. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(FINISH_MILLIS, TimeUnit.MILLISECONDS)) {
        scheduler.shutdownNow();
      }
      pool.shutdownNow();
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)
          || !scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("repair worker threads still running after close");
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
    releaseClaims();
  }

  private void releaseClaims() {
    try {
      int released = outbox.release(options.ownerId());
      if (released > 0) {
        LOG.info("repair worker stopped: {} claimed rows given back to the outbox", released);
      }
    } catch (RuntimeException e) {
      // The ledger is gone: the rows come back when their claim lapses, as after a kill.
      LOG.warn("repair worker stopped: claimed rows not given back: {}", e.toString());
    }
  }

  /** Builds a {@link RepairWorker}; metrics, sleeper and random have real defaults. */
  public static final class Builder {
    private final RepairOptions options;
    private final CopyParts parts;
    private MetricsRecorder metrics = MetricsRecorder.NOOP;
    private DocumentTurns turns = DocumentTurns.NONE;
    private Sleeper sleeper = Sleeper.system();
    private RandomGenerator random = RandomGenerator.getDefault();

    private Builder(
        RepairOptions options,
        Ledger ledger,
        CloudinaryAccount account,
        DocumentStore cloudinary,
        DocumentStore s3) {
      this.options = requireNonNull(options, "options");
      this.parts = new CopyParts(ledger, account, cloudinary, s3);
    }

    /** Where each applied or failed row is reported ({@link MetricsRecorder#repair}). */
    public Builder metrics(MetricsRecorder value) {
      this.metrics = requireNonNull(value, "metrics");
      return this;
    }

    /**
     * The turns client operations of this process take per document (the write path's); each repair
     * takes its document's turn. Default: none (a process that serves no client).
     */
    public Builder turns(DocumentTurns value) {
      this.turns = requireNonNull(value, "turns");
      return this;
    }

    /** How a repair waits between its quick in-call retries; default: really sleeps. */
    public Builder sleeper(Sleeper value) {
      this.sleeper = requireNonNull(value, "sleeper");
      return this;
    }

    /** The source of the in-call retries' jitter (the outbox's backoff has its own). */
    public Builder random(RandomGenerator value) {
      this.random = requireNonNull(value, "random");
      return this;
    }

    public RepairWorker build() {
      return new RepairWorker(this);
    }
  }
}
