package io.docshift.app.cli;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a long command ({@code docshift backfill}, {@code docshift verify}) in the caller's thread
 * the way a terminal user expects: its progress shown at a fixed period, and Ctrl-C that stops it
 * cleanly. The first SIGINT or SIGTERM asks the run to stop (no new work, work in flight finishes)
 * and holds the JVM's exit up to a minute until the run returned, so its summary is still printed.
 */
public final class ForegroundRun {
  /** How long Ctrl-C waits for the run to finish what it holds. */
  private static final long STOP_WAIT_SECONDS = 60;

  /** The first progress comes soon, whatever the period: a run that lasts seconds shows one. */
  private static final long FIRST_PRINT_MILLIS = 1_000;

  private ForegroundRun() {}

  /** The run itself; blocks until it ends. */
  @FunctionalInterface
  public interface Task<R> {
    R run() throws InterruptedException;
  }

  /** What the run shows while it runs. */
  public interface Progress {
    /** Shows nothing. */
    Progress NONE =
        new Progress() {
          @Override
          public void print() {}

          @Override
          public void finish() {}
        };

    /** Shows the progress so far; called on the ticker's thread. */
    void print();

    /** Called once the run returned (or failed), before the summary. */
    void finish();
  }

  /**
   * Runs {@code task}, calling {@code progress.print()} a second after the start and then every
   * {@code period}, and {@code progress.finish()} at the end.
   *
   * @param name the name of the thread that handles Ctrl-C
   * @param stop asks the run to stop; must be safe to call from another thread
   */
  public static <R> R run(
      String name, Task<R> task, Runnable stop, Progress progress, Duration period)
      throws InterruptedException {
    requireNonNull(task, "task");
    requireNonNull(stop, "stop");
    requireNonNull(progress, "progress");
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    if (progress != Progress.NONE) {
      ticker.scheduleAtFixedRate(
          progress::print, FIRST_PRINT_MILLIS, period.toMillis(), TimeUnit.MILLISECONDS);
    }
    CountDownLatch finished = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> stopAndWait(stop, finished), name);
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      return task.run();
    } finally {
      finished.countDown();
      ticker.shutdownNow();
      progress.finish();
      removeHook(onCtrlC);
    }
  }

  private static void stopAndWait(Runnable stop, CountDownLatch finished) {
    stop.run();
    try {
      finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running and waits for this run to end.
    }
  }
}
