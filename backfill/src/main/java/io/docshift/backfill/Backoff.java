package io.docshift.backfill;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for transient failures: attempt {@code n} waits a random time
 * between half and all of {@code min(max, initial × 2^(n-1))}, so a fleet that failed together does
 * not retry together. The random source is injected. Thread-safe if the random source is.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final RandomGenerator random;

  Backoff(Duration initial, Duration max, RandomGenerator random) {
    this.initial = initial;
    this.max = max;
    this.random = random;
  }

  /** The wait before retry number {@code attempt} (1 for the first retry). */
  Duration delay(int attempt) {
    int shift = Math.min(Math.max(attempt - 1, 0), 30);
    long ceiling = Math.min(max.toMillis(), initial.toMillis() << shift);
    long half = ceiling / 2;
    return Duration.ofMillis(
        half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
  }
}
