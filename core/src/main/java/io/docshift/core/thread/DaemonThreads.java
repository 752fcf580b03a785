package io.docshift.core.thread;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories for DocShift's background work (pollers, timers, worker pools): every thread is
 * a daemon, so none of it keeps a JVM alive once its owner forgot to close it, and every thread is
 * named for what it does, so a thread dump reads without a map. The owners still stop their threads
 * in {@code close()}; being daemons is the safety net, not the plan.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads that all carry {@code name} (a pool whose threads do one job). */
  public static ThreadFactory named(String name) {
    requireNonNull(name, "name");
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... in the order they are made. */
  public static ThreadFactory numbered(String prefix) {
    requireNonNull(prefix, "prefix");
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
