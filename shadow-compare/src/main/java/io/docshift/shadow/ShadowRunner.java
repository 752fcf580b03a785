package io.docshift.shadow;

import io.docshift.core.config.ShadowMode;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.LogIds;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.ShadowOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.read.VerifiedCopies;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the shadow side of sampled reads, off the client's path. Entry points never block and never
 * throw. A sampled read first takes a {@link Permit} (at most {@code maxConcurrent} shadowed reads
 * in flight, from the primary's first byte to the comparison's end; the rest are shed and counted
 * before any work is spent on them); once the primary body is complete, everything runs
 * asynchronously on the shadow stores (their own connection pools and threads, never the proxy's)
 * and one small worker thread that also keeps the deadlines.
 *
 * <p>A/B: a read S3 served is compared with Cloudinary; a read Cloudinary served with S3 when the
 * ledger has a verified S3 copy in that format. The first comparison uses CRC-32C; a difference is
 * confirmed by a second read of both stores, with MD5, before anything changes (a write racing the
 * first comparison shows as {@code ignored / unconfirmed}); a confirmed one goes to the {@link
 * MismatchRecorder} with both MD5s as evidence. A/A: a read Cloudinary served is compared with
 * Cloudinary, unconfirmed, and only counted: the raw noise of the comparison.
 *
 * <p>Every sampled read is counted exactly once through {@link MetricsRecorder#shadow}.
 */
final class ShadowRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowRunner.class);

  private final DocumentStore cloudinary;
  private final DocumentStore s3;
  private final VerifiedCopies copies;
  private final MismatchRecorder recorder;
  private final MetricsRecorder metrics;
  private final ShadowMode mode;
  private final Semaphore permits;
  private final Duration timeout;
  private final ScheduledThreadPoolExecutor worker;

  /** How many reads are shadowed at once, how, and for how long each may take. */
  record Policy(ShadowMode mode, int maxConcurrent, Duration timeout) {}

  /**
   * @param cloudinary a Cloudinary store used only for shadow reads
   * @param s3 an S3 store used only for shadow reads
   */
  ShadowRunner(
      DocumentStore cloudinary,
      DocumentStore s3,
      VerifiedCopies copies,
      MismatchRecorder recorder,
      MetricsRecorder metrics,
      Policy policy) {
    this.cloudinary = cloudinary;
    this.s3 = s3;
    this.copies = copies;
    this.recorder = recorder;
    this.metrics = metrics;
    this.mode = policy.mode();
    this.permits = new Semaphore(policy.maxConcurrent());
    this.timeout = policy.timeout();
    this.worker = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("docshift-shadow"));
    worker.setRemoveOnCancelPolicy(true); // finished reads drop their deadlines at once
  }

  /** How one sampled read ended. */
  private record Verdict(ShadowOutcome outcome, String rule) {
    static Verdict of(ShadowOutcome outcome) {
      return new Verdict(outcome, ShadowRules.NONE);
    }

    static Verdict ignored(String rule) {
      return new Verdict(ShadowOutcome.IGNORED, rule);
    }
  }

  /**
   * One sampled read's share of {@code maxConcurrent}, taken before the primary is even tapped and
   * held until its comparison ends; released exactly once, whichever way the read ends.
   */
  final class Permit {
    private final AtomicBoolean held = new AtomicBoolean(true);

    private void release() {
      if (held.compareAndSet(true, false)) {
        permits.release();
      }
    }
  }

  /**
   * A slot for one more shadowed read, or empty (counted as shed) when {@code maxConcurrent} are in
   * flight: then the read is served untouched, not even checksummed.
   */
  Optional<Permit> tryStart() {
    if (!permits.tryAcquire()) {
      count(Verdict.of(ShadowOutcome.SHED));
      return Optional.empty();
    }
    return Optional.of(new Permit());
  }

  /** A sampled read that will not be compared, for {@code rule}. */
  void ignored(String rule) {
    count(Verdict.ignored(rule));
  }

  /** A sampled read with a slot that will not be compared, for {@code rule}. */
  void ignored(Permit permit, String rule) {
    permit.release();
    ignored(rule);
  }

  /** The client's read failed: "not found" is still compared (the other store should agree). */
  void primaryFailed(Permit permit, DocumentKey key, Throwable failure) {
    StoreException e = StoreException.wrap(Backend.CLOUDINARY, "read", key, failure);
    if (e.outcome() == Outcome.NOT_FOUND) {
      primaryRead(permit, key, e.backend(), ReadSummary.notFound());
    } else {
      ignored(permit, ShadowRules.PRIMARY_ERROR);
    }
  }

  /** The client's read ended ({@code servedBy} sent it all, or said 404): shadow it. */
  void primaryRead(Permit permit, DocumentKey key, Backend servedBy, ReadSummary primary) {
    CompletableFuture<Verdict> run;
    try {
      run =
          CompletableFuture.supplyAsync(() -> key, worker)
              .thenCompose(k -> shadow(k, servedBy, primary));
    } catch (RejectedExecutionException e) {
      permit.release();
      count(Verdict.of(ShadowOutcome.SHED));
      return;
    }
    run.whenComplete(
        (verdict, failure) -> {
          permit.release();
          count(failure == null ? verdict : error(key, failure));
        });
  }

  private CompletableFuture<Verdict> shadow(
      DocumentKey key, Backend servedBy, ReadSummary primary) {
    if (mode == ShadowMode.AA) {
      return servedBy == Backend.S3
          ? done(Verdict.ignored(ShadowRules.S3_SERVED))
          : compare(key, primary, cloudinary);
    }
    if (servedBy == Backend.S3) {
      return compare(key, primary, cloudinary);
    }
    return copies
        .servable(key)
        .thenCompose(
            verified ->
                verified
                    ? compare(key, primary, s3)
                    : done(Verdict.ignored(ShadowRules.UNVERIFIED)));
  }

  private CompletableFuture<Verdict> compare(
      DocumentKey key, ReadSummary primary, DocumentStore other) {
    return read(other, key, false).thenComposeAsync(shadow -> judge(key, primary, shadow), worker);
  }

  private CompletableFuture<Verdict> judge(
      DocumentKey key, ReadSummary primary, ReadSummary shadow) {
    Optional<String> difference = Comparison.difference(primary, shadow);
    if (difference.isEmpty()) {
      return done(Verdict.of(ShadowOutcome.MATCHED));
    }
    if (mode == ShadowMode.AA) {
      LOG.warn(
          "A/A shadow difference {}: {} ({} vs {})",
          LogIds.of(key),
          difference.get(),
          primary,
          shadow);
      return done(Verdict.of(ShadowOutcome.MISMATCHED));
    }
    return confirm(key);
  }

  /** Reads both stores again; only a difference seen twice changes the ledger. */
  private CompletableFuture<Verdict> confirm(DocumentKey key) {
    CompletableFuture<ReadSummary> fromCloudinary = read(cloudinary, key, true);
    CompletableFuture<ReadSummary> fromS3 = read(s3, key, true);
    return fromCloudinary.thenCombine(
        fromS3,
        (c, s) -> {
          Optional<String> difference = Comparison.difference(c, s);
          if (difference.isEmpty()) {
            return Verdict.ignored(ShadowRules.UNCONFIRMED);
          }
          recorder.record(key, difference.get(), c, s);
          return Verdict.of(ShadowOutcome.MISMATCHED);
        });
  }

  private CompletableFuture<ReadSummary> read(DocumentStore store, DocumentKey key, boolean md5) {
    return ShadowFetch.read(store, key, md5, timeout, worker);
  }

  private static CompletableFuture<Verdict> done(Verdict verdict) {
    return CompletableFuture.completedFuture(verdict);
  }

  private static Verdict error(DocumentKey key, Throwable failure) {
    LOG.debug("shadow read of {} failed: {}", LogIds.of(key), failure.toString());
    return Verdict.of(ShadowOutcome.ERROR);
  }

  private void count(Verdict verdict) {
    metrics.shadow(verdict.outcome(), verdict.rule());
  }

  /** Stops the worker: shadows in flight end as errors when their stores close. */
  @Override
  public void close() {
    worker.shutdownNow();
  }
}
