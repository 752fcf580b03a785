package io.docshift.copier;

import io.docshift.core.retry.Sleeper;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A cap on the bytes copied per second (the backfill's {@code --max-bytes-per-second}, copy on
 * read's {@code read.copyOnRead.maxBytesPerSecond}): a token bucket holding at most one second's
 * worth, taken per document before its copy (its size is known from the ledger). A document larger
 * than a second's worth goes when the bucket is full and leaves it in debt, so the average holds
 * whatever the sizes. Thread-safe. {@link #take} waits through the given sleeper, and not at all
 * once its owner stops; {@link #tryTake} never waits, for callers that would rather drop a copy.
 */
public final class ByteRate {
  private final long perSecond;
  private final LongSupplier nanos;
  private final Sleeper sleeper;
  private final BooleanSupplier stopped;
  private double tokens;
  private long lastNanos;

  /**
   * @param perSecond the cap; 0 or less for none
   * @param nanos a monotonic clock ({@code System::nanoTime}), injected for tests
   * @param stopped once true, {@link #take} returns at once
   */
  public ByteRate(long perSecond, LongSupplier nanos, Sleeper sleeper, BooleanSupplier stopped) {
    this.perSecond = perSecond;
    this.nanos = nanos;
    this.sleeper = sleeper;
    this.stopped = stopped;
    this.lastNanos = nanos.getAsLong();
    this.tokens = perSecond;
  }

  /** Waits until {@code bytes} may be copied within the cap; at once without a cap. */
  public void take(long bytes) throws InterruptedException {
    if (perSecond <= 0) {
      return;
    }
    Duration wait;
    while (!stopped.getAsBoolean() && !(wait = reserve(bytes)).isZero()) {
      sleeper.sleep(wait);
    }
  }

  /** Takes {@code bytes} when the cap allows them now; true without a cap. Never waits. */
  public boolean tryTake(long bytes) {
    return perSecond <= 0 || reserve(bytes).isZero();
  }

  /** Takes the bytes and returns zero, or returns how long to wait before asking again. */
  private synchronized Duration reserve(long bytes) {
    long now = nanos.getAsLong();
    tokens = Math.min(perSecond, tokens + (now - lastNanos) * perSecond / 1e9);
    lastNanos = now;
    double needed = Math.min(bytes, perSecond);
    if (tokens >= needed) {
      tokens -= bytes;
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(1_000_000L, (long) ((needed - tokens) * 1e9 / perSecond)));
  }
}
