package io.docshift.proxy.graphql;

import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.Ledger;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the ledger's minute snapshot of the migration's counts ({@code Migration.history}) once a
 * minute, on a daemon thread of its own. Every instance runs one; the ledger keeps one snapshot per
 * minute, so the chart needs no leader and survives any instance's restart.
 */
final class ProgressSnapshots implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressSnapshots.class);

  private final ScheduledExecutorService timer;

  private ProgressSnapshots(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  static ProgressSnapshots start(Ledger ledger) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("docshift-progress-history"));
    timer.scheduleAtFixedRate(() -> take(ledger), 1, 1, TimeUnit.MINUTES);
    return new ProgressSnapshots(timer);
  }

  /**
   * A failure (the ledger away) is logged and the next minute tried: a throw would end the
   * schedule.
   */
  private static void take(Ledger ledger) {
    try {
      ledger.history().record();
    } catch (RuntimeException e) {
      LOG.warn("progress snapshot not taken: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
