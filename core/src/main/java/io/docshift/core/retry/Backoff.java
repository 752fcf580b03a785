package io.docshift.core.retry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter, the one used for every retry (repair outbox rows, backfill and
 * repair copies, Admin API listing): after the n-th failure the delay is {@code min(max, initial ×
 * 2^(n-1))}, then shortened by a random fraction of up to {@code jitterPercent}, so a fleet that
 * failed together does not retry together. Never shorter than 1 ms. Randomness is injected so tests
 * are exact; thread-safe if the random source is.
 */
public final class Backoff {
  /** The jitter of {@link #halfJitter}: a delay between half and all of the doubled one. */
  private static final int HALF = 50;

  private final Duration initial;
  private final Duration max;
  private final int jitterPercent;
  private final RandomGenerator random;

  /**
   * @param initial delay after the first failure, positive
   * @param max cap on any delay, at least {@code initial}
   * @param jitterPercent 0..100: how much of the delay may randomly be taken off
   * @param random source of jitter
   * @throws IllegalArgumentException if a bound is violated
   */
  public Backoff(Duration initial, Duration max, int jitterPercent, RandomGenerator random) {
    this.initial = requireNonNull(initial, "initial");
    this.max = requireNonNull(max, "max");
    this.random = requireNonNull(random, "random");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max: " + initial + ", " + max);
    }
    if (jitterPercent < 0 || jitterPercent > 100) {
      throw new IllegalArgumentException("jitterPercent must be 0..100: " + jitterPercent);
    }
    this.jitterPercent = jitterPercent;
  }

  /** A backoff whose delay is a random time between half and all of the doubled delay. */
  public static Backoff halfJitter(Duration initial, Duration max, RandomGenerator random) {
    return new Backoff(initial, max, HALF, random);
  }

  /**
   * The delay before the next attempt after {@code failures} failed attempts.
   *
   * @throws IllegalArgumentException if {@code failures < 1}
   */
  public Duration delayAfter(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be >= 1: " + failures);
    }
    long initialMillis = initial.toMillis();
    long maxMillis = max.toMillis();
    // Doubling stops at the cap; the shift is bounded so it cannot overflow.
    int doublings = Math.min(failures - 1, 62);
    long capped = initialMillis > (maxMillis >> doublings) ? maxMillis : initialMillis << doublings;
    double cut = capped * (jitterPercent / 100.0) * random.nextDouble();
    return Duration.ofMillis(Math.max(1, capped - (long) cut));
  }
}
