package io.docshift.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.testkit.FixedRandom;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void doublesUpToTheCapWithoutJitter() {
    Backoff backoff = new Backoff(SECOND, MINUTE, 0, new FixedRandom(0.9));

    assertThat(backoff.delayAfter(1)).isEqualTo(SECOND);
    assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delayAfter(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.delayAfter(7)).isEqualTo(MINUTE);
    assertThat(backoff.delayAfter(Integer.MAX_VALUE)).isEqualTo(MINUTE);
  }

  @Test
  void jitterTakesARandomShareOfUpToThePercent() {
    assertThat(new Backoff(SECOND, MINUTE, 20, new FixedRandom(0.0)).delayAfter(2))
        .isEqualTo(Duration.ofMillis(2000));
    assertThat(new Backoff(SECOND, MINUTE, 20, new FixedRandom(0.5)).delayAfter(2))
        .isEqualTo(Duration.ofMillis(1800));
    assertThat(new Backoff(SECOND, MINUTE, 100, new FixedRandom(0.9999)).delayAfter(1))
        .isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void rejectsInvalidBounds() {
    FixedRandom random = new FixedRandom(0);
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, MINUTE, 0, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(MINUTE, SECOND, 0, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(SECOND, MINUTE, 101, random))
        .isInstanceOf(IllegalArgumentException.class);
    Backoff backoff = new Backoff(SECOND, MINUTE, 0, random);
    assertThatThrownBy(() -> backoff.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void halfJitterWaitsBetweenHalfAndAllOfTheDoubledDelay() {
    Duration tenth = Duration.ofMillis(100);
    assertThat(Backoff.halfJitter(tenth, SECOND, new FixedRandom(0.0)).delayAfter(3))
        .isEqualTo(Duration.ofMillis(400));
    assertThat(Backoff.halfJitter(tenth, SECOND, new FixedRandom(0.9999)).delayAfter(3))
        .isEqualTo(Duration.ofMillis(201));
    assertThat(Backoff.halfJitter(tenth, SECOND, new FixedRandom(0.9999)).delayAfter(30))
        .isEqualTo(Duration.ofMillis(501));
  }
}
