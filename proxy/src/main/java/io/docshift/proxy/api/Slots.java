package io.docshift.proxy.api;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound on something a server holds at once, shared by all of its connections: open client
 * connections, Upload API calls in flight. Whoever finds no free slot is refused at once with a
 * clear answer (503) instead of queueing; the Upload API bound also keeps calls from piling up in
 * the write executor, whose bounded queue would otherwise throw on the event loop.
 */
public final class Slots {
  private final int max;
  private final AtomicInteger used = new AtomicInteger();

  public Slots(int max) {
    this.max = max;
  }

  /** Takes a slot; false when all are taken. */
  public boolean tryAcquire() {
    while (true) {
      int now = used.get();
      if (now >= max) {
        return false;
      }
      if (used.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives a slot back; once per successful {@link #tryAcquire()}. */
  public void release() {
    used.decrementAndGet();
  }

  /** Slots taken now. */
  public int inUse() {
    return used.get();
  }
}
