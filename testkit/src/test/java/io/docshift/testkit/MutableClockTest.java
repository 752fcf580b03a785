package io.docshift.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aClockMovesOnlyWhenTheTestMovesIt() {
    MutableClock clock = new MutableClock(START);
    assertThat(clock.instant()).isEqualTo(START);

    clock.advance(Duration.ofMinutes(5));

    assertThat(clock.instant()).isEqualTo(START.plus(Duration.ofMinutes(5)));
  }

  @Test
  void aFollowingClockMovesWithItsNanosecondSourceAndByHandOnTop() {
    AtomicLong nanos = new AtomicLong();
    MutableClock clock = MutableClock.following(START, nanos::get);

    nanos.set(Duration.ofSeconds(90).toNanos());
    Instant followed = clock.instant();
    clock.advance(Duration.ofHours(1));

    assertThat(followed).isEqualTo(START.plusSeconds(90));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(90).plus(Duration.ofHours(1)));
  }
}
