package io.docshift.backfill;

/**
 * The number of copies allowed to run at once, which the pace changes while the run goes on: a
 * worker {@link #enter}s before its copy and {@link #exit}s after it. Lowering the limit lets the
 * copies running finish and holds the next ones; {@link #open} (a stopping run) lets every waiter
 * through.
 */
final class PaceGate {
  private int limit;
  private int running;
  private boolean open;

  PaceGate(int limit) {
    this.limit = limit;
  }

  synchronized void limit(int value) {
    limit = value;
    notifyAll();
  }

  synchronized int limit() {
    return limit;
  }

  /** Blocks until fewer than the limit run (or the gate is open), then counts this copy in. */
  synchronized void enter() throws InterruptedException {
    while (!open && running >= limit) {
      wait();
    }
    running++;
  }

  synchronized void exit() {
    running--;
    notifyAll();
  }

  /** No limit any more: a stopping run's claimed documents finish. */
  synchronized void open() {
    open = true;
    notifyAll();
  }
}
