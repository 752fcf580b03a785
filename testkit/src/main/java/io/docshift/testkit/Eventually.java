package io.docshift.testkit;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Bounded polling for tests that wait on another thread, process or server. Every wait has a
 * deadline and a failure names what was awaited, how long, and the last value seen, so a hung
 * condition fails the test instead of the build.
 *
 * <p>Use an injected clock instead where the code under test reads time; poll only for work that
 * really happens elsewhere (an executor, a child process, a socket closing).
 */
public final class Eventually {
  /** Between two looks: short, since the probes are cheap and tests should not idle. */
  private static final long PAUSE_MILLIS = 10;

  private Eventually() {}

  /** A look at the awaited state; may throw, which fails the wait at once. */
  @FunctionalInterface
  public interface Probe<T> {
    T read() throws Exception;
  }

  /** A condition over the awaited state; may throw, which fails the wait at once. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Waits until {@code condition} holds, at most {@code within}.
   *
   * @throws AssertionError naming {@code what} when the deadline passes first
   */
  public static void until(Duration within, Condition condition, String what) {
    until(within, condition::holds, Boolean::booleanValue, what);
  }

  /**
   * Reads {@code probe} until its value satisfies {@code done}, at most {@code within}.
   *
   * @return the first value that satisfied {@code done}
   * @throws AssertionError naming {@code what} and the last value read when the deadline passes
   */
  public static <T> T until(
      Duration within, Probe<T> probe, Predicate<? super T> done, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      T seen = read(probe, what);
      if (done.test(seen)) {
        return seen;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "waited " + within.toMillis() + " ms for " + what + "; last seen: " + seen);
      }
      pause();
    }
  }

  /**
   * Whether {@code condition} came to hold within {@code within}; for callers that report the
   * outcome themselves instead of failing here.
   */
  public static boolean holdsWithin(Duration within, Condition condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!read(condition::holds, "a condition")) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      pause();
    }
    return true;
  }

  private static <T> T read(Probe<T> probe, String what) {
    try {
      return probe.read();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("could not look for " + what, e);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while polling", e);
    }
  }
}
