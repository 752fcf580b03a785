package io.docshift.backfill;

import static java.util.Objects.requireNonNull;

import io.docshift.copier.DocumentCopier;
import io.docshift.copier.Retrier;
import io.docshift.copier.Spool;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.retry.Backoff;
import io.docshift.core.retry.Sleeper;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.LeaseHolder;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.S3State;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code docshift backfill} run: lists Cloudinary into the ledger (resumable, within the Admin
 * API budget) while a bounded pool copies what the ledger holds to S3, verified, without ever
 * overwriting a newer dual-written object or resurrecting a destroyed one. See {@link Enumerator},
 * {@link DocumentCopier} and {@link Dispatcher} for each part's rules.
 *
 * <p>Resumable by construction: the ledger holds the work list, the listing cursors and each
 * document's state, so a run killed at any point is continued by the next, and a document already
 * {@code verified} is never copied again. A run renews its leases by heartbeat ({@link
 * LeaseHeartbeat}), so they are short: a restarted worker (same {@link BackfillOptions#workerId()},
 * see {@link WorkerIdentity}) takes back its dead predecessor's leases at once, and another worker
 * claims them once they lapse, which the run waits for ({@link LeaseWait}). Several processes may
 * share one ledger (PostgreSQL) and split the work. A run ends finished ({@link
 * BackfillReport#finished()}) or says why not.
 *
 * <p>The ledger and both stores belong to the caller and stay open. {@link #run()} blocks; {@link
 * #progress()} and {@link #stop()} may be called from other threads meanwhile. Single use.
 */
public final class Backfill {
  private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
  private static final Set<S3State> LEFT_TO_COPY =
      EnumSet.of(S3State.ABSENT, S3State.COPIED, S3State.MISMATCH);

  private final BackfillOptions options;
  private final Ledger ledger;
  private final Tally tally;
  private final AdminBudget budget;
  private final Enumerator enumerator;
  private final Dispatcher dispatcher;
  private final Pacer pacer;
  private final StopSignal stopSignal = new StopSignal();
  private final BackfillMetrics metrics;
  private volatile boolean stopping;
  private volatile boolean stopRequested;
  private volatile boolean listingComplete;
  private volatile int takenBack;
  private volatile LeaseHeartbeat heartbeat;
  private volatile String fatal;
  private volatile long startNanos = System.nanoTime();

  private Backfill(Builder b) {
    this.options = b.options;
    this.ledger = b.parts.ledger();
    this.metrics = b.metrics;
    this.tally = new Tally(b.metrics);
    Sleeper sleeper = b.sleeper != null ? b.sleeper : stopSignal;
    this.budget = new AdminBudget(options.adminCallsPerHour(), b.clock, sleeper);
    Backoff backoff = Backoff.halfJitter(options.retryInitial(), options.retryMax(), b.random);
    AdminApi api = AdminApi.create(b.parts.account());
    Retrier retrier = new Retrier(options.maxAttempts(), backoff, sleeper);
    Spool spool = new Spool(options.spoolDir(), memoryBudget(options), options.documentTimeout());
    DocumentCopier copier = b.parts.copier(spool, retrier, options.documentTimeout());
    LeaseWait leaseWait =
        new LeaseWait(ledger.documents(), options.workerId(), options.lease(), b.leaseClock);
    FleetReads fleet = new FleetReads(ledger::recentOutcomes, b.leaseClock, b.pace.p99Millis());
    this.pacer = new Pacer(b.pace, fleet, options.concurrency(), metrics, sleeper);
    this.dispatcher = new Dispatcher(ledger.documents(), copier, options, tally, leaseWait, pacer);
    Enumerator.Wiring wiring =
        new Enumerator.Wiring(
            api,
            budget,
            ledger,
            b.parts.account().cloudName(),
            options,
            backoff,
            sleeper,
            tally,
            metrics,
            new AccessControlled(ledger, b.parts.s3(), options.documentTimeout(), tally),
            new ListingStatistics(
                () -> ledger.documents().countByState().values().stream().mapToLong(n -> n).sum(),
                ledger::analyzeDocuments));
    this.enumerator = new Enumerator(wiring, dispatcher::wake, () -> stopping);
  }

  /** The configured spool memory, but never more than a quarter of the heap. */
  private static int memoryBudget(BackfillOptions options) {
    long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
    return (int) Math.min(options.spoolMemoryBytes(), quarterHeap);
  }

  /**
   * A builder for a run over these parts.
   *
   * @param cloudinary reads originals (e.g. {@code CloudinaryDocumentStore} for {@code account})
   * @param s3 receives the copies (e.g. {@code S3DocumentStore}); must honour {@code PutCondition}
   */
  public static Builder builder(
      BackfillOptions options,
      Ledger ledger,
      CloudinaryAccount account,
      DocumentStore cloudinary,
      DocumentStore s3) {
    return new Builder(options, ledger, account, cloudinary, s3);
  }

  /**
   * Runs to the end: every listing complete and every claimable document handled, or {@link
   * #stop()}, or a fatal listing error. Failed and skipped documents are released with their reason
   * at the end.
   *
   * @return the summary; {@link BackfillReport#clean()} says whether anything failed
   */
  public BackfillReport run() throws InterruptedException {
    startNanos = System.nanoTime();
    if (options.dryRun()) {
      list();
      return progress();
    }
    takenBack = ledger.documents().releaseLeases(options.workerId());
    if (takenBack > 0) {
      LOG.info("took back {} leases of {}'s previous process", takenBack, options.workerId());
    }
    Thread lister = DaemonThreads.named("docshift-backfill-list").newThread(this::list);
    heartbeat = LeaseHeartbeat.start(ledger.documents(), options.workerId(), options.lease());
    try {
      pacer.start();
      lister.start();
      dispatcher.run();
    } finally {
      pacer.close();
      stopSignal.stop();
      heartbeat.close();
    }
    stopping = true;
    lister.join();
    dispatcher.releaseHeld();
    return report(leaseHolders());
  }

  /** Who else still holds documents left to copy, for the final report. */
  private Map<String, Long> leaseHolders() {
    try {
      Map<String, Long> holders = new TreeMap<>();
      for (LeaseHolder h : ledger.documents().leaseHolders(options.workerId(), LEFT_TO_COPY)) {
        holders.put(h.owner(), h.documents());
      }
      return holders;
    } catch (RuntimeException e) {
      LOG.warn("cannot count the leases other workers hold: {}", e.getMessage());
      return Map.of();
    }
  }

  private void list() {
    try {
      listingComplete = enumerator.run();
    } catch (AdminApiException | IOException | RuntimeException e) {
      fatal = "listing failed: " + e.getMessage();
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      dispatcher.listingDone();
    }
  }

  /** The run so far; counts the ledger's remaining documents (one query). */
  public BackfillReport progress() {
    return report(Map.of());
  }

  private BackfillReport report(Map<String, Long> leasedElsewhere) {
    long remaining = remaining();
    metrics.queueRemaining(remaining);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    BackfillReport.Ending ending =
        new BackfillReport.Ending(
            listingComplete, stopRequested, takenBack, leasedElsewhere, Optional.ofNullable(fatal));
    return tally.report(elapsed, remaining, budget.remaining(), ending);
  }

  private long remaining() {
    try {
      Map<S3State, Long> counts = ledger.documents().countByState();
      return LEFT_TO_COPY.stream().mapToLong(counts::get).sum();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Asks the run to end soon: no new claims or pages; copies in flight finish. Idempotent. */
  public void stop() {
    stopRequested = true;
    stopping = true;
    dispatcher.stop();
    pacer.close();
    stopSignal.stop();
  }

  /** Builds a {@link Backfill}; clock, sleeper, random and metrics have real defaults. */
  public static final class Builder {
    private final BackfillOptions options;
    private final CopyParts parts;
    private Clock clock = Clock.systemUTC();
    private Clock leaseClock = Clock.systemUTC();
    private Sleeper sleeper;
    private RandomGenerator random = RandomGenerator.getDefault();
    private BackfillMetrics metrics = BackfillMetrics.noop();
    private PaceOptions pace = PaceOptions.defaults();

    private Builder(
        BackfillOptions options,
        Ledger ledger,
        CloudinaryAccount account,
        DocumentStore cloudinary,
        DocumentStore s3) {
      this.options = requireNonNull(options, "options");
      this.parts = new CopyParts(ledger, account, cloudinary, s3);
    }

    /** The clock of the Admin API budget's hourly windows (Cloudinary's clock). */
    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock");
      return this;
    }

    /**
     * The clock that times waiting for other workers' leases: give it the ledger's clock, so a
     * lease period means the same to both.
     */
    public Builder leaseClock(Clock value) {
      this.leaseClock = requireNonNull(value, "leaseClock");
      return this;
    }

    /** How the run waits (budget resets, retry backoff); default: real waits that stop() ends. */
    public Builder sleeper(Sleeper value) {
      this.sleeper = requireNonNull(value, "sleeper");
      return this;
    }

    /** The source of retry jitter. */
    public Builder random(RandomGenerator value) {
      this.random = requireNonNull(value, "random");
      return this;
    }

    public Builder metrics(BackfillMetrics value) {
      this.metrics = requireNonNull(value, "metrics");
      return this;
    }

    /**
     * How the run paces itself against the proxies' reads; default {@link PaceOptions#defaults()}.
     */
    public Builder pace(PaceOptions value) {
      this.pace = requireNonNull(value, "pace");
      return this;
    }

    public Backfill build() {
      return new Backfill(this);
    }
  }
}
