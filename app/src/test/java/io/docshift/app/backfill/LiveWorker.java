package io.docshift.app.backfill;

import io.docshift.ledger.Ledger;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Another backfill worker that is alive: it holds its leases and renews them by heartbeat. */
final class LiveWorker {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  private LiveWorker() {}

  static LiveWorker start(Ledger ledger, String owner, Duration lease) {
    LiveWorker worker = new LiveWorker();
    long beat = lease.toMillis() / 5;
    worker.timer.scheduleAtFixedRate(
        () -> ledger.documents().renewLeases(owner, lease), 0, beat, TimeUnit.MILLISECONDS);
    return worker;
  }

  /** The worker dies: no more heartbeats, its leases lapse one lease period later. */
  void die() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(10, TimeUnit.SECONDS);
  }
}
