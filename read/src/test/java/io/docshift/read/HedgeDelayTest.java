package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The hedge delay: the maximum until warmed up, then a clamped percentile of recent answers, at
 * most a multiple of their median.
 */
class HedgeDelayTest {
  private static final long MS = 1_000_000L;

  @Test
  void theMaximumHoldsUntilEnoughAnswersWereSeen() {
    HedgeDelay delay = new HedgeDelay(95, 0, Duration.ofMillis(5), Duration.ofMillis(400));
    for (int i = 0; i < HedgeDelay.WARM_UP - 1; i++) {
      delay.record(10 * MS);
      assertThat(delay.nanos()).as("after %d answers", i + 1).isEqualTo(400 * MS);
    }
    delay.record(10 * MS);
    assertThat(delay.nanos()).isEqualTo(10 * MS);
  }

  @Test
  void itIsTheNearestRankPercentileOfTheAnswers() {
    HedgeDelay delay = new HedgeDelay(90, 0, Duration.ofMillis(1), Duration.ofMillis(1000));
    // 1..112 ms in an order that is not sorted (112 answers: a recompute falls on the last one):
    // the 101st of 112 is the first with 90 % at or below it.
    for (int i = 0; i < 112; i++) {
      delay.record(((i * 37) % 112 + 1) * MS);
    }
    assertThat(delay.nanos()).isEqualTo(101 * MS);
  }

  @Test
  void itIsClampedToTheMinimumAndTheMaximum() {
    HedgeDelay fast = new HedgeDelay(95, 0, Duration.ofMillis(20), Duration.ofMillis(100));
    HedgeDelay slow = new HedgeDelay(95, 0, Duration.ofMillis(20), Duration.ofMillis(100));
    for (int i = 0; i < HedgeDelay.WARM_UP; i++) {
      fast.record(MS);
      slow.record(5_000 * MS);
    }
    assertThat(fast.nanos()).isEqualTo(20 * MS);
    assertThat(slow.nanos()).isEqualTo(100 * MS);
  }

  @Test
  void onlyTheLastAnswersCountAndTheDelayFollowsThemWithinAFewAnswers() {
    HedgeDelay delay = new HedgeDelay(50, 0, Duration.ofMillis(1), Duration.ofMillis(10_000));
    for (int i = 0; i < HedgeDelay.SAMPLES; i++) {
      delay.record(1_000 * MS);
    }
    assertThat(delay.nanos()).isEqualTo(1_000 * MS);
    // S3 got fast: once more than half the ring is fast answers, the median is fast.
    for (int i = 0; i < HedgeDelay.SAMPLES / 2 + HedgeDelay.RECOMPUTE_EVERY; i++) {
      delay.record(30 * MS);
    }
    assertThat(delay.nanos()).isEqualTo(30 * MS);
  }

  @Test
  void aSlowShareLargerThanThePercentileLeavesOutDoesNotPushTheDelayUpToIt() {
    // 8 % of S3's answers held up 200 ms, the rest 4 ms: the 95th percentile is a slow answer.
    HedgeDelay percentileOnly = new HedgeDelay(95, 0, Duration.ofMillis(1), Duration.ofMillis(500));
    HedgeDelay capped = new HedgeDelay(95, 3, Duration.ofMillis(1), Duration.ofMillis(500));
    for (int i = 0; i < HedgeDelay.SAMPLES; i++) {
      long answer = (i % 25 < 2 ? 200 : 4) * MS;
      percentileOnly.record(answer);
      capped.record(answer);
    }
    assertThat(percentileOnly.nanos()).isEqualTo(200 * MS);
    assertThat(capped.nanos()).as("three times the 4 ms median").isEqualTo(12 * MS);
  }

  @Test
  void aHealthyS3KeepsThePercentileWhenItIsBelowTheCap() {
    // 1..112 ms evenly: the median is 56 ms, three times it 168 ms, the 90th percentile 101 ms.
    HedgeDelay delay = new HedgeDelay(90, 3, Duration.ofMillis(1), Duration.ofMillis(1000));
    for (int i = 0; i < 112; i++) {
      delay.record(((i * 37) % 112 + 1) * MS);
    }
    assertThat(delay.nanos()).isEqualTo(101 * MS);
  }

  @Test
  void badSettingsAreRefusedWithWhatWasExpected() {
    assertThatThrownBy(() -> new HedgeDelay(100, 0, Duration.ofMillis(1), Duration.ofMillis(2)))
        .hasMessage("percentile: 100 (expected: 1..99)");
    assertThatThrownBy(() -> new HedgeDelay(95, 0, Duration.ofMillis(5), Duration.ofMillis(2)))
        .hasMessageStartingWith("maxDelay: PT0.002S (expected: >= minDelay PT0.005S");
    assertThatThrownBy(() -> new HedgeDelay(95, -1, Duration.ofMillis(1), Duration.ofMillis(2)))
        .hasMessage("medianMultiple: -1 (expected: >= 0)");
  }
}
