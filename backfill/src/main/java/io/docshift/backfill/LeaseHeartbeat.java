package io.docshift.backfill;

import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.Documents;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews every lease this worker holds, every fifth of the lease, while the run is alive: leases
 * stay short (a dead worker's documents are taken over seconds after it died) however long one copy
 * takes. A failed renewal is logged and tried again at the next beat; leases that lapse meanwhile
 * may be claimed by another worker, which the conditional puts and the ledger's guards make safe.
 */
final class LeaseHeartbeat implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseHeartbeat.class);

  private final ScheduledExecutorService timer;

  private LeaseHeartbeat(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts beating at once. */
  static LeaseHeartbeat start(Documents documents, String owner, Duration lease) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("docshift-backfill-heartbeat"));
    long period = interval(lease).toMillis();
    timer.scheduleAtFixedRate(
        () -> renew(documents, owner, lease), period, period, TimeUnit.MILLISECONDS);
    return new LeaseHeartbeat(timer);
  }

  /** A fifth of the lease: four beats may be missed before a lease lapses. */
  static Duration interval(Duration lease) {
    return Duration.ofMillis(Math.max(1, lease.toMillis() / 5));
  }

  private static void renew(Documents documents, String owner, Duration lease) {
    try {
      documents.renewLeases(owner, lease);
    } catch (RuntimeException e) { // a LedgerException, most likely: keep beating
      LOG.warn("renewing the leases of {} failed; trying again: {}", owner, e.getMessage());
    }
  }

  /** Stops beating; the leases then lapse one lease period later unless released. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
