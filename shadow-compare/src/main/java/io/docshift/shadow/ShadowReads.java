package io.docshift.shadow;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.ShadowConfig;
import io.docshift.core.config.ShadowMode;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentStore;
import io.docshift.read.RoutedDocumentStore;
import io.docshift.read.VerifiedCopies;
import io.docshift.traffic.TrafficStateSource;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Adds sampled shadow reads to a composed read store: the read path's last decorator.
 *
 * <pre>
 * ShadowReadStore ── sampled GET ──▶ primary (routed: S3 or Cloudinary), body checksummed on its way
 *                                   └─ body complete ──▶ the other store, checksummed, compared
 * </pre>
 *
 * A read is sampled when its document's shadow bucket is below the live {@code shadowPercent}
 * (deterministic, independent of the routing bucket). The client's response never waits for, and
 * never fails because of, a shadow: at most {@code maxConcurrent} sampled reads are shadowed at
 * once (the rest are shed and counted, and served untouched), a shadow runs after the primary body
 * is complete, within {@code timeout}, on its own stores. Every sampled read is counted once as
 * {@code docshift.shadow.comparisons{outcome, rule}}. A confirmed A/B mismatch records a ledger
 * sample, sets the document's S3 state to {@code mismatch} (S3 stops serving it), and queues a
 * repair.
 *
 * <p>The built store owns the primary and the two shadow stores: closing it closes all three. The
 * shadow stores must be instances of their own (their own connection pools), so shadows never
 * occupy the connections clients are served from.
 */
public final class ShadowReads {
  private RoutedDocumentStore primary;
  private DocumentStore shadowCloudinary;
  private DocumentStore shadowS3;
  private TrafficStateSource traffic;
  private VerifiedCopies copies;
  private ShadowLedger ledger;
  private Executor ledgerExecutor;
  private MetricsRecorder metrics = MetricsRecorder.NOOP;
  private ShadowMode mode = ShadowMode.AB;
  private int maxConcurrent = 16;
  private Duration timeout = Duration.ofSeconds(10);

  private ShadowReads() {}

  /** A builder; primary, both shadow stores, traffic, copies, ledger and executor are required. */
  public static ShadowReads builder() {
    return new ShadowReads();
  }

  /** The composed read store clients are served from ({@code ReadStores}). */
  public ShadowReads primary(RoutedDocumentStore value) {
    this.primary = requireNonNull(value, "primary");
    return this;
  }

  /** A Cloudinary store used only for shadow reads. */
  public ShadowReads shadowCloudinary(DocumentStore value) {
    this.shadowCloudinary = requireNonNull(value, "shadowCloudinary");
    return this;
  }

  /** An S3 store used only for shadow reads. */
  public ShadowReads shadowS3(DocumentStore value) {
    this.shadowS3 = requireNonNull(value, "shadowS3");
    return this;
  }

  /** The live traffic state; its {@code shadowPercent} is read on every GET. */
  public ShadowReads traffic(TrafficStateSource value) {
    this.traffic = requireNonNull(value, "traffic");
    return this;
  }

  /** The routing cache: asked whether S3 holds a verified copy, and told about mismatches. */
  public ShadowReads copies(VerifiedCopies value) {
    this.copies = requireNonNull(value, "copies");
    return this;
  }

  /** Where mismatches are recorded, with the executor that runs those (blocking) calls. */
  public ShadowReads ledger(ShadowLedger value, Executor executor) {
    this.ledger = requireNonNull(value, "ledger");
    this.ledgerExecutor = requireNonNull(executor, "executor");
    return this;
  }

  /** Where outcomes are counted (default: nowhere). */
  public ShadowReads metrics(MetricsRecorder value) {
    this.metrics = requireNonNull(value, "metrics");
    return this;
  }

  /** Mode, concurrency and timeout from {@code shadow.*}. */
  public ShadowReads settings(ShadowConfig config) {
    requireNonNull(config, "config");
    return mode(config.mode())
        .maxConcurrent(config.maxConcurrent())
        .timeout(Duration.ofMillis(config.timeoutMillis()));
  }

  /** A/B (default) or A/A. */
  public ShadowReads mode(ShadowMode value) {
    this.mode = requireNonNull(value, "mode");
    return this;
  }

  /** Most shadows in flight (default 16); more are shed. */
  public ShadowReads maxConcurrent(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("maxConcurrent: " + value + " (expected: >= 1)");
    }
    this.maxConcurrent = value;
    return this;
  }

  /** Longest one shadow read may take, body included (default 10 s). */
  public ShadowReads timeout(Duration value) {
    requireNonNull(value, "timeout");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("timeout: " + value + " (expected: > 0)");
    }
    this.timeout = value;
    return this;
  }

  /**
   * @throws NullPointerException when a required part is missing
   */
  public RoutedDocumentStore build() {
    requireNonNull(primary, "primary");
    requireNonNull(shadowCloudinary, "shadowCloudinary");
    requireNonNull(shadowS3, "shadowS3");
    requireNonNull(traffic, "traffic");
    requireNonNull(copies, "copies");
    requireNonNull(ledger, "ledger");
    DocumentStore cloudinaryStore = shadowCloudinary;
    DocumentStore s3Store = shadowS3;
    ShadowRunner runner =
        new ShadowRunner(
            cloudinaryStore,
            s3Store,
            copies,
            new MismatchRecorder(ledger, copies, ledgerExecutor),
            metrics,
            new ShadowRunner.Policy(mode, maxConcurrent, timeout));
    return new ShadowReadStore(
        primary,
        traffic,
        runner,
        () -> {
          try {
            s3Store.close();
          } finally {
            cloudinaryStore.close();
          }
        });
  }
}
