package io.docshift.read;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A Netty {@link Timer} a test fires by hand: nothing runs until {@link #fireAll()}. */
final class ManualTimer implements Timer {
  private final List<Task> pending = new CopyOnWriteArrayList<>();

  @Override
  public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
    Task t = new Task(task, unit.toNanos(delay));
    pending.add(t);
    return t;
  }

  /** Runs every task scheduled and not cancelled, whatever its delay. */
  void fireAll() throws Exception {
    List<Task> due = new ArrayList<>(pending);
    pending.removeAll(due);
    for (Task t : due) {
      if (!t.cancelled) {
        t.expired = true;
        t.task.run(t);
      }
    }
  }

  /** The delays of the tasks scheduled and not yet fired or cancelled, in nanoseconds. */
  List<Long> pendingDelays() {
    return pending.stream().filter(t -> !t.cancelled).map(t -> t.delayNanos).toList();
  }

  @Override
  public Set<Timeout> stop() {
    return Set.of();
  }

  private final class Task implements Timeout {
    private final TimerTask task;
    private final long delayNanos;
    private volatile boolean cancelled;
    private volatile boolean expired;

    Task(TimerTask task, long delayNanos) {
      this.task = task;
      this.delayNanos = delayNanos;
    }

    @Override
    public Timer timer() {
      return ManualTimer.this;
    }

    @Override
    public TimerTask task() {
      return task;
    }

    @Override
    public boolean isExpired() {
      return expired;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean cancel() {
      boolean was = !cancelled && !expired;
      cancelled = true;
      return was;
    }
  }
}
