package io.docshift.stores.http;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one timer of the upstream calls of one event loop ({@link LoopPool}), touched only on that
 * loop. Each running call's {@link ExchangeDeadlines} keeps its next deadline in a field and is on
 * this list while it runs; the timer is set for the earliest of those deadlines, lazily: moved
 * earlier when a call needs that, never cancelled when a call ends, and on firing it runs the calls
 * whose deadline passed (each then sets its next one or fails) and sets itself for the earliest
 * left. Calls that all get the same timeout start later than the ones before them, so a steady load
 * schedules about one timer per timeout, not two schedules and two cancels per call. Time is the
 * loop's ticker, so tests move it by hand.
 */
final class LoopDeadlines {
  /** A deadline that never comes. */
  static final long NONE = Long.MAX_VALUE;

  private final EventExecutor loop;
  private ExchangeDeadlines first;
  private ScheduledFuture<?> timer;
  private long wakeAt;
  private boolean firing;

  LoopDeadlines(EventExecutor loop) {
    this.loop = loop;
  }

  long now() {
    return loop.ticker().nanoTime();
  }

  /** Keeps {@code call} on the list and the timer set no later than its deadline. */
  void watch(ExchangeDeadlines call) {
    if (!call.listed) {
      call.listed = true;
      call.next = first;
      call.previous = null;
      if (first != null) {
        first.previous = call;
      }
      first = call;
    }
    long due = call.due();
    // While firing, the timer is set once at the end for whatever the calls left.
    if (due != NONE && !firing && (timer == null || due - wakeAt < 0)) {
      arm(due);
    }
  }

  /** Takes {@code call} off the list; the timer stays as it is and finds nothing of it. */
  void forget(ExchangeDeadlines call) {
    if (!call.listed) {
      return;
    }
    call.listed = false;
    if (call.previous != null) {
      call.previous.next = call.next;
    } else {
      first = call.next;
    }
    if (call.next != null) {
      call.next.previous = call.previous;
    }
    call.next = null;
    call.previous = null;
  }

  private void arm(long due) {
    if (timer != null) {
      timer.cancel(false);
    }
    wakeAt = due;
    timer = loop.schedule(this::fire, Math.max(0, due - now()), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    timer = null;
    long now = now();
    // Collected first: a call that fails may end others (its connection closing hands a place in
    // line on), which changes the list.
    List<ExchangeDeadlines> passed = new ArrayList<>();
    for (ExchangeDeadlines call = first; call != null; call = call.next) {
      if (isDue(call.due(), now)) {
        passed.add(call);
      }
    }
    firing = true;
    try {
      for (ExchangeDeadlines call : passed) {
        if (call.listed && isDue(call.due(), now)) {
          call.fire();
        }
      }
    } finally {
      firing = false;
      armForEarliest(); // even when a call threw: the others keep their timer
    }
  }

  private void armForEarliest() {
    long earliest = NONE;
    for (ExchangeDeadlines call = first; call != null; call = call.next) {
      long due = call.due();
      if (due != NONE && (earliest == NONE || due - earliest < 0)) {
        earliest = due;
      }
    }
    if (earliest != NONE) {
      arm(earliest);
    }
  }

  private static boolean isDue(long due, long now) {
    return due != NONE && due - now <= 0;
  }
}
