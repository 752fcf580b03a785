package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RepairBackoffTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void doublesUpToTheCapWithoutJitter() {
    RepairBackoff backoff = new RepairBackoff(SECOND, MINUTE, 0, new FixedRandom(0.9));

    assertThat(backoff.delayAfter(1)).isEqualTo(SECOND);
    assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delayAfter(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.delayAfter(7)).isEqualTo(MINUTE);
    assertThat(backoff.delayAfter(Integer.MAX_VALUE)).isEqualTo(MINUTE);
  }

  @Test
  void jitterTakesARandomShareOfUpToThePercent() {
    assertThat(new RepairBackoff(SECOND, MINUTE, 20, new FixedRandom(0.0)).delayAfter(2))
        .isEqualTo(Duration.ofMillis(2000));
    assertThat(new RepairBackoff(SECOND, MINUTE, 20, new FixedRandom(0.5)).delayAfter(2))
        .isEqualTo(Duration.ofMillis(1800));
    assertThat(new RepairBackoff(SECOND, MINUTE, 100, new FixedRandom(0.9999)).delayAfter(1))
        .isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void rejectsInvalidBounds() {
    FixedRandom random = new FixedRandom(0);
    assertThatThrownBy(() -> new RepairBackoff(Duration.ZERO, MINUTE, 0, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RepairBackoff(MINUTE, SECOND, 0, random))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RepairBackoff(SECOND, MINUTE, 101, random))
        .isInstanceOf(IllegalArgumentException.class);
    RepairBackoff backoff = new RepairBackoff(SECOND, MINUTE, 0, random);
    assertThatThrownBy(() -> backoff.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
