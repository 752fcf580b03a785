package io.docshift.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {
  private static final Duration SHORT = Duration.ofMillis(100);

  @Test
  void aConditionThatBecomesTrueEndsTheWaitWithTheValueThatSatisfiedIt() {
    AtomicInteger reads = new AtomicInteger();
    int seen =
        Eventually.until(Duration.ofSeconds(5), reads::incrementAndGet, n -> n >= 3, "three");
    assertThat(seen).isEqualTo(3);
  }

  @Test
  void aConditionThatNeverHoldsFailsNamingWhatAndTheLastValue() {
    assertThatThrownBy(() -> Eventually.until(SHORT, () -> 7, n -> n == 8, "the count to reach 8"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("waited 100 ms for the count to reach 8; last seen: 7");
  }

  @Test
  void aBooleanConditionThatNeverHoldsFails() {
    assertThatThrownBy(() -> Eventually.until(SHORT, () -> false, "never"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("for never");
  }

  @Test
  void holdsWithinAnswersInsteadOfFailing() {
    AtomicInteger reads = new AtomicInteger();
    assertThat(Eventually.holdsWithin(SHORT, () -> false)).isFalse();
    assertThat(Eventually.holdsWithin(SHORT, () -> reads.incrementAndGet() > 2)).isTrue();
  }

  @Test
  void aProbeThatThrowsFailsTheWaitAtOnce() {
    assertThatThrownBy(
            () ->
                Eventually.until(
                    Duration.ofSeconds(30),
                    () -> {
                      throw new java.io.IOException("refused");
                    },
                    "a socket"))
        .isInstanceOf(AssertionError.class)
        .hasMessage("could not look for a socket")
        .hasCauseInstanceOf(java.io.IOException.class);
  }

  @Test
  void anInterruptedWaitFailsAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Eventually.until(SHORT, () -> false, "interrupted"))
          .hasMessage("interrupted while polling");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
