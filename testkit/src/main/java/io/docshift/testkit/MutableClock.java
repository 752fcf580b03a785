package io.docshift.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * A UTC clock that tests move by hand, so time windows (signature staleness, rate-limit hours,
 * leases, backoff, auto-revert windows) are tested without sleeping. Safe to read from other
 * threads while a test advances it. It may also {@linkplain #following follow} a nanosecond source
 * the test moves (a fake ticker), so a wall clock and a ticker read by the same code agree.
 */
public final class MutableClock extends Clock {
  private final LongSupplier nanos;
  private volatile Instant now;

  public MutableClock(Instant start) {
    this(start, () -> 0);
  }

  private MutableClock(Instant start, LongSupplier nanos) {
    this.now = requireNonNull(start, "start");
    this.nanos = requireNonNull(nanos, "nanos");
  }

  /**
   * A clock at {@code start} plus whatever {@code nanos} reads (in nanoseconds) at each look;
   * {@link #advance} and {@link #set} still move it on top of that.
   */
  public static MutableClock following(Instant start, LongSupplier nanos) {
    return new MutableClock(start, nanos);
  }

  /** Moves the clock forward (or back, with a negative duration). */
  public void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** Sets the clock to {@code instant}. */
  public void set(Instant instant) {
    now = requireNonNull(instant, "instant");
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** The zone is fixed to UTC; this clock is returned as it is. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now.plusNanos(nanos.getAsLong());
  }
}
