package io.docshift.core.retry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a while: rate-limit resets and retry backoff go through it, so tests advance a clock
 * instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {
  /** Blocks for {@code duration} (nothing for zero or negative). */
  void sleep(Duration duration) throws InterruptedException;

  /** Really sleeps. */
  static Sleeper system() {
    return duration -> {
      if (!duration.isNegative() && !duration.isZero()) {
        TimeUnit.NANOSECONDS.sleep(duration.toNanos());
      }
    };
  }
}
