package io.docshift.backfill;

import io.docshift.core.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Paces Admin API calls so a run stays within two budgets: DocShift's own ({@code
 * adminCallsPerHour}, which may be set below the account's to leave room for the application's own
 * Admin API use) and Cloudinary's, as the last response's {@code X-FeatureRateLimit-*} headers
 * reported it. Both are fixed windows per clock hour, as Cloudinary counts them.
 *
 * <p>Calls are allowed in bursts while budget remains (listing 500 documents per call is far faster
 * than copying them, so spreading calls evenly would only delay the copy); when either budget is
 * spent, or Cloudinary answered 420/429, {@link #acquire()} sleeps until the reset. Time comes from
 * the injected clock and waiting from the injected {@link Sleeper}. Thread-safe.
 */
final class AdminBudget {
  private final int callsPerHour;
  private final Clock clock;
  private final Sleeper sleeper;
  private Instant window = Instant.MIN;
  private int used;
  private RateLimit server = RateLimit.UNKNOWN;
  private Instant blockedUntil = Instant.MIN;

  AdminBudget(int callsPerHour, Clock clock, Sleeper sleeper) {
    if (callsPerHour < 1) {
      throw new IllegalArgumentException(
          "adminCallsPerHour: " + callsPerHour + " (expected: >= 1)");
    }
    this.callsPerHour = callsPerHour;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** Blocks until a call fits both budgets, then counts it. */
  void acquire() throws InterruptedException {
    while (true) {
      Duration wait;
      synchronized (this) {
        wait = waitTime(clock.instant());
        if (wait.isZero()) {
          used++;
          return;
        }
      }
      sleeper.sleep(wait);
    }
  }

  /** Records the budget a response reported. */
  synchronized void observe(RateLimit reported) {
    server = reported;
  }

  /** Cloudinary refused a call (420/429): no call until the reported reset (or the next hour). */
  synchronized void throttled(RateLimit reported) {
    server = reported;
    Instant now = clock.instant();
    blockedUntil = reported.reset().filter(now::isBefore).orElse(nextHour(now));
  }

  /** Calls left in this hour: the smaller of DocShift's and Cloudinary's remaining budgets. */
  synchronized int remaining() {
    Instant now = clock.instant();
    roll(now);
    int own = callsPerHour - used;
    if (serverKnown(now)) {
      return Math.min(own, server.remaining().getAsInt());
    }
    return own;
  }

  private Duration waitTime(Instant now) {
    roll(now);
    if (now.isBefore(blockedUntil)) {
      return Duration.between(now, blockedUntil);
    }
    if (serverKnown(now) && server.remaining().getAsInt() <= 0) {
      return Duration.between(now, server.reset().orElse(nextHour(now)));
    }
    if (used >= callsPerHour) {
      return Duration.between(now, nextHour(now));
    }
    return Duration.ZERO;
  }

  /** Cloudinary's figure counts until its reset time; after that it is stale. */
  private boolean serverKnown(Instant now) {
    return server.remaining().isPresent() && server.reset().map(now::isBefore).orElse(false);
  }

  private void roll(Instant now) {
    Instant current = now.truncatedTo(ChronoUnit.HOURS);
    if (!current.equals(window)) {
      window = current;
      used = 0;
    }
  }

  private static Instant nextHour(Instant now) {
    return now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
  }
}
