package io.docshift.app.repair;

import static java.util.Objects.requireNonNull;

import io.docshift.backfill.RepairOptions;
import io.docshift.backfill.RepairReport;
import io.docshift.backfill.RepairWorker;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentTurns;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.Ledger;
import io.docshift.stores.CopyStores;
import io.docshift.write.ChunkSweep;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RepairWorker} with its own Cloudinary and S3 stores ({@link CopyStores}: on the Netty
 * clients unless {@code s3.readClient = SDK}, as the backfill copies), built from the
 * configuration, for {@code docshift serve} (background drains) and {@code docshift repair --once}.
 * Each drain (and, in the background, every minute) also drops abandoned {@code upload_large}
 * sessions ({@link ChunkSweep}). Closing it stops the worker, then closes the stores; the ledger
 * stays the caller's.
 */
public final class RepairRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RepairRuntime.class);

  private final CopyStores stores;
  private final RepairWorker worker;
  private final ChunkSweep chunkSweep;
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("docshift-chunk-sweep"));

  private RepairRuntime(
      DocShiftConfig config, Ledger ledger, MetricsRecorder metrics, DocumentTurns turns) {
    RepairOptions options = RepairOptions.builder(config.repair()).build();
    this.stores = CopyStores.open(config, config.s3().maxConnections());
    try {
      this.worker =
          RepairWorker.builder(options, ledger, stores.account(), stores.cloudinary(), stores.s3())
              .metrics(metrics)
              .turns(turns)
              .build();
    } catch (RuntimeException e) {
      stores.close(); // no worker owns them yet
      throw e;
    }
    this.chunkSweep = new ChunkSweep(ledger.uploads(), stores.temporaries());
  }

  /**
   * Builds the worker and its stores (nothing runs yet).
   *
   * @param turns the per-document turns of the client operations this process serves ({@link
   *     DocumentTurns#NONE} when it serves none)
   * @throws io.docshift.core.config.ConfigException when the Cloudinary account or the S3 bucket is
   *     not configured: repairs sign uploads and destroys and call the Admin API
   */
  public static RepairRuntime open(
      DocShiftConfig config, Ledger ledger, MetricsRecorder metrics, DocumentTurns turns) {
    requireNonNull(config, "config");
    requireNonNull(turns, "turns");
    requireNonNull(ledger, "ledger");
    requireNonNull(metrics, "metrics");
    return new RepairRuntime(config, ledger, metrics, turns);
  }

  /** Starts background drains every {@code repair.intervalMillis}; returns this. */
  public RepairRuntime start() {
    worker.start();
    sweeper.scheduleWithFixedDelay(this::sweepChunks, 1, 60, TimeUnit.SECONDS);
    return this;
  }

  /** One drain in the caller's thread (see {@link RepairWorker#runOnce()}). */
  public RepairReport runOnce() throws InterruptedException {
    sweepChunks();
    return worker.runOnce();
  }

  /** Abandoned {@code upload_large} sessions and their S3 temporaries go with the repairs. */
  private void sweepChunks() {
    try {
      chunkSweep.run();
    } catch (RuntimeException e) {
      LOG.warn("abandoned chunked uploads not swept: {}", e.toString());
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    try {
      worker.close();
    } finally {
      stores.close();
    }
  }
}
