package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.retry.Backoff;
import io.docshift.core.retry.Sleeper;
import io.docshift.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The small pure parts: header parsing, budget arithmetic, backoff bounds, option validation. */
class UnitsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:59:00Z"));
  private final List<Duration> slept = new ArrayList<>();
  private final Sleeper sleeper =
      d -> {
        slept.add(d);
        clock.advance(d);
      };

  @Test
  void rateLimitHeadersAreReadLikeTheJavaSdkDoes() {
    RateLimit limit =
        RateLimit.fromHeaders(
            Map.of(
                "x-featureratelimit-limit", List.of("2000"),
                "X-FeatureRateLimit-Remaining", List.of("17"),
                "X-FeatureSearchRateLimit-Reset", List.of("Wed, 01 Jun 2016 20:00:00 GMT"),
                "X-Other", List.of("1")));

    assertThat(limit.limit()).hasValue(2000);
    assertThat(limit.remaining()).hasValue(17);
    assertThat(limit.reset()).contains(Instant.parse("2016-06-01T20:00:00Z"));
    assertThat(RateLimit.fromHeaders(Map.of("X-FeatureRateLimit-Remaining", List.of("x"))))
        .isEqualTo(RateLimit.UNKNOWN);
  }

  @Test
  void ownBudgetWaitsForTheNextHour() throws Exception {
    AdminBudget budget = new AdminBudget(2, clock, sleeper);

    budget.acquire();
    budget.acquire();
    budget.acquire();

    assertThat(slept).containsExactly(Duration.ofMinutes(1));
    assertThat(budget.remaining()).isEqualTo(1);
  }

  @Test
  void cloudinarysRemainingAndThrottlingWaitForItsReset() throws Exception {
    AdminBudget budget = new AdminBudget(100, clock, sleeper);
    Instant reset = Instant.parse("2030-01-01T11:00:00Z");
    budget.observe(
        new RateLimit(
            java.util.OptionalInt.of(5),
            java.util.OptionalInt.of(0),
            java.util.Optional.of(reset)));

    budget.acquire();
    budget.throttled(
        new RateLimit(
            java.util.OptionalInt.empty(),
            java.util.OptionalInt.empty(),
            java.util.Optional.empty()));
    budget.acquire();

    assertThat(slept).containsExactly(Duration.ofMinutes(1), Duration.ofHours(1));
  }

  @Test
  void backoffGrowsWithJitterUpToTheCap() {
    Backoff backoff =
        Backoff.halfJitter(Duration.ofMillis(100), Duration.ofSeconds(1), new SplittableRandom(1));

    for (int i = 0; i < 50; i++) {
      assertThat(backoff.delayAfter(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(backoff.delayAfter(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(backoff.delayAfter(30)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }
  }

  @Test
  void invalidOptionsAreNamed() {
    assertThatThrownBy(() -> BackfillOptions.builder().concurrency(0).build())
        .hasMessage("concurrency: 0 (expected: 1..1024)");
    assertThatThrownBy(() -> BackfillOptions.builder().pageSize(501).build())
        .hasMessage("pageSize: 501 (expected: 1..500)");
  }
}
