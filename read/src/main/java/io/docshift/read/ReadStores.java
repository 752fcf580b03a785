package io.docshift.read;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Ticker;
import io.docshift.core.config.HedgeConfig;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.LedgerKey;
import io.docshift.traffic.TrafficStateSource;
import io.docshift.traffic.revert.S3Evidence;
import io.netty.util.HashedWheelTimer;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Builds the read path's routing and fallback decorators over two stores. The serving instance's
 * read path is composed in one place (the proxy's {@code ReadPath}), which gives this builder its
 * stores and listeners and wraps the result in shadow reads:
 *
 * <pre>
 * StickyReadRouter ── bucket &lt; weight and ledger verified ──▶ FallbackReadStore(S3 → Cloudinary)
 *                  │                                              full bodies hashed (VerifyingBody)
 *                  │                                              cut bodies continued (FailoverBody)
 *                  │                                              slow S3 hedged, when on (Hedging)
 *                  └─ otherwise ──▶ Cloudinary ── 404, verified and only in S3 ──▶ FallbackReadStore
 * </pre>
 *
 * The composed store owns both backends and the fallback's timer: closing it closes them.
 */
public final class ReadStores {
  private DocumentStore cloudinary;
  private DocumentStore s3;
  private TrafficStateSource traffic;
  private VerifiedCopies copies;
  private Duration firstByteTimeout = Duration.ofSeconds(2);
  private FallbackListener fallbackListener = FallbackListener.NONE;
  private S3Evidence evidence = S3Evidence.NONE;
  private MismatchListener mismatchListener = MismatchListener.NONE;
  private CloudinaryReadListener cloudinaryReads = CloudinaryReadListener.NONE;
  private Predicate<LedgerKey> cloudinaryRepairQueued = key -> false;
  private Executor lookupExecutor = Runnable::run;
  private MetricsRecorder metrics = MetricsRecorder.NOOP;
  private HedgeConfig hedge = HedgeConfig.off();

  private ReadStores() {}

  /** A builder; cloudinary, s3, traffic and copies are required. */
  public static ReadStores builder() {
    return new ReadStores();
  }

  public ReadStores cloudinary(DocumentStore value) {
    this.cloudinary = requireNonNull(value, "cloudinary");
    return this;
  }

  public ReadStores s3(DocumentStore value) {
    this.s3 = requireNonNull(value, "s3");
    return this;
  }

  public ReadStores traffic(TrafficStateSource value) {
    this.traffic = requireNonNull(value, "traffic");
    return this;
  }

  public ReadStores copies(VerifiedCopies value) {
    this.copies = requireNonNull(value, "copies");
    return this;
  }

  /** Longest wait for S3's response headers before Cloudinary is asked instead (default 2 s). */
  public ReadStores firstByteTimeout(Duration value) {
    requireNonNull(value, "firstByteTimeout");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("firstByteTimeout: " + value + " (expected: > 0)");
    }
    this.firstByteTimeout = value;
    return this;
  }

  /**
   * Told about every fallback and mid-body failover (default: nobody); see {@link FallbackRepairs}.
   */
  public ReadStores onFallback(FallbackListener value) {
    this.fallbackListener = requireNonNull(value, "fallbackListener");
    return this;
  }

  /**
   * Auto-revert's feed, told about every fallback and mid-body failover before the {@link
   * #onFallback} listener (default: nobody).
   */
  public ReadStores s3Evidence(S3Evidence value) {
    this.evidence = requireNonNull(value, "evidence");
    return this;
  }

  /**
   * Told about every full S3 body that did not hash to the ledger's digest (default: nobody); see
   * {@link ServedMismatches}.
   */
  public ReadStores onMismatch(MismatchListener value) {
    this.mismatchListener = requireNonNull(value, "mismatchListener");
    return this;
  }

  /**
   * Whether a Cloudinary repair ({@code cld_put}) is queued for a document, e.g. {@code k ->
   * outbox.queued(k, CLOUDINARY_PUT)}, run on {@code executor} (it may block); default: never. With
   * it, a document an S3-primary write left only in S3 is served from S3 on Cloudinary's 404 even
   * after reads were reverted; see {@link S3OnlyCopies}.
   */
  public ReadStores cloudinaryRepairQueued(Predicate<LedgerKey> lookup, Executor executor) {
    this.cloudinaryRepairQueued = requireNonNull(lookup, "lookup");
    this.lookupExecutor = requireNonNull(executor, "executor");
    return this;
  }

  /**
   * Told when a read routed to Cloudinary served a whole original (default: nobody); copy on read
   * listens here. Without one, Cloudinary's bodies pass unwrapped.
   */
  public ReadStores onCloudinaryRead(CloudinaryReadListener value) {
    this.cloudinaryReads = requireNonNull(value, "cloudinaryReads");
    return this;
  }

  /**
   * Whether and how S3 reads are hedged with Cloudinary reads when S3 is slow to answer (default:
   * off); see {@link Hedging}. Hedges are counted on {@link #metrics}.
   */
  public ReadStores hedge(HedgeConfig value) {
    this.hedge = requireNonNull(value, "hedge");
    return this;
  }

  /** Where ledger lookup failures are counted (default: nowhere). */
  public ReadStores metrics(MetricsRecorder value) {
    this.metrics = requireNonNull(value, "metrics");
    return this;
  }

  /**
   * @throws NullPointerException when a required part is missing
   */
  public RoutedDocumentStore build() {
    requireNonNull(cloudinary, "cloudinary");
    requireNonNull(s3, "s3");
    requireNonNull(traffic, "traffic");
    requireNonNull(copies, "copies");
    DocumentStore cloudinaryStore = cloudinary;
    DocumentStore s3Store = s3;
    HashedWheelTimer timer =
        new HashedWheelTimer(
            DaemonThreads.named("docshift-fallback-timer"), 10, TimeUnit.MILLISECONDS);
    FallbackListener fallbacks = GuardedFallbacks.of(fallbackListener, evidence);
    S3OnlyCopies s3Only = new S3OnlyCopies(traffic, cloudinaryRepairQueued, lookupExecutor);
    FallbackReadStore s3Path =
        new FallbackReadStore(
            s3Store,
            cloudinaryStore,
            firstByteTimeout,
            fallbacks,
            s3Only,
            timer,
            Hedging.of(hedge, timer, metrics, Ticker.systemTicker()));
    DocumentStore routedCloudinary =
        cloudinaryReads == CloudinaryReadListener.NONE
            ? cloudinaryStore
            : new ListenedCloudinaryStore(cloudinaryStore, cloudinaryReads);
    return new StickyReadRouter(
        routedCloudinary,
        s3Path,
        traffic,
        copies,
        s3Only,
        metrics,
        new S3Bodies(cloudinaryStore, fallbacks, mismatchListener),
        () -> {
          try {
            s3Store.close();
          } finally {
            try {
              cloudinaryStore.close();
            } finally {
              timer.stop();
            }
          }
        });
  }
}
