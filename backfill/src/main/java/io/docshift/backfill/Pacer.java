package io.docshift.backfill;

import io.docshift.copier.ByteRate;
import io.docshift.core.retry.Sleeper;
import io.docshift.core.thread.DaemonThreads;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces one run: every {@link PaceOptions#interval()} it looks at the fleet's reads ({@link
 * FleetReads}), lets the {@link Pace} decide and sets the {@link PaceGate}'s limit; every change is
 * logged and counted. Also holds the byte cap ({@link ByteRate}). A ledger that cannot be read
 * leaves the pace as it is. Without {@code adaptive} the gate stays at {@code --concurrency}.
 */
final class Pacer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);

  private final PaceOptions options;
  private final FleetReads fleet;
  private final Pace pace;
  private final PaceGate gate;
  private final ByteRate bytes;
  private final BackfillMetrics metrics;
  private volatile ScheduledExecutorService timer;
  private volatile boolean closed;

  Pacer(
      PaceOptions options,
      FleetReads fleet,
      int concurrency,
      BackfillMetrics metrics,
      Sleeper sleeper) {
    this.options = options;
    this.fleet = fleet;
    this.pace = new Pace(concurrency, options.faultPercent());
    this.gate = new PaceGate(concurrency);
    this.bytes = new ByteRate(options.maxBytesPerSecond(), System::nanoTime, sleeper, () -> closed);
    this.metrics = metrics;
  }

  /** Starts looking at the fleet's reads, when adaptive. */
  void start() {
    metrics.pace("held", gate.limit());
    if (!options.adaptive()) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("docshift-backfill-pace"));
    long every = options.interval().toMillis();
    timer.scheduleWithFixedDelay(this::lookQuietly, 0, every, TimeUnit.MILLISECONDS);
  }

  /** Called by a worker before its copy of {@code size} bytes; blocks while the pace says so. */
  void beforeCopy(long size) throws InterruptedException {
    gate.enter();
    try {
      bytes.take(size);
    } catch (InterruptedException | RuntimeException e) {
      gate.exit();
      throw e;
    }
  }

  /** Called by a worker after its copy, however it ended. */
  void afterCopy() {
    gate.exit();
  }

  /** One look at the fleet's reads and the pace's answer. */
  void look() {
    ReadLoad load = fleet.sinceLastLook();
    Pace.Change change = pace.adjust(load);
    gate.limit(pace.target());
    if (change != Pace.Change.HELD) {
      String name = change.name().toLowerCase(Locale.ROOT);
      LOG.info(
          "pace {}: {} copies at once (fleet reads in the last {} s: {})",
          name.replace('_', ' '),
          pace.target(),
          options.interval().toSeconds(),
          load);
      metrics.pace(name, pace.target());
    }
  }

  private void lookQuietly() {
    try {
      look();
    } catch (RuntimeException e) {
      LOG.warn("pace unchanged: cannot read the fleet's reads: {}", e.getMessage());
    }
  }

  /** Stops looking and lets every waiting copy through (a stopping run). */
  @Override
  public void close() {
    closed = true;
    if (timer != null) {
      timer.shutdownNow();
    }
    gate.open();
  }
}
