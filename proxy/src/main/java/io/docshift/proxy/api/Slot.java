package io.docshift.proxy.api;

import java.util.concurrent.atomic.AtomicBoolean;

/** One taken {@link Slots} slot, given back exactly once whichever path ends the call. */
final class Slot {
  private final Slots slots;
  private final AtomicBoolean held = new AtomicBoolean(true);

  Slot(Slots slots) {
    this.slots = slots;
  }

  void release() {
    if (held.compareAndSet(true, false)) {
      slots.release();
    }
  }
}
