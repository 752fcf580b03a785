package io.docshift.backfill;

import io.docshift.core.retry.Sleeper;
import java.time.Duration;

/** A {@link Sleeper} that a stop request wakes early, so a run never waits an hour to stop. */
final class StopSignal implements Sleeper {
  private boolean stopped;

  @Override
  public synchronized void sleep(Duration duration) throws InterruptedException {
    long deadline = System.nanoTime() + duration.toNanos();
    long left = duration.toNanos();
    while (!stopped && left > 0) {
      wait(Math.max(1, left / 1_000_000));
      left = deadline - System.nanoTime();
    }
  }

  synchronized void stop() {
    stopped = true;
    notifyAll();
  }
}
