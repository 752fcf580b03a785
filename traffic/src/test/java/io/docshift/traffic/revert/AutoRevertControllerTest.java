package io.docshift.traffic.revert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoRevertControllerTest {
  private static final Duration FAST = Duration.ofMillis(20);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T03:00:00Z"));
  private final List<Trip> trips = new ArrayList<>();

  private AutoRevertController controller(AutoRevertSettings settings) {
    return new AutoRevertController(settings, clock, trips::add);
  }

  private static AutoRevertSettings settings(
      int ratePercent, int minimumVolume, Duration p99, int inARow, boolean dryRun) {
    return new AutoRevertSettings(
        true, dryRun, Duration.ofSeconds(30), ratePercent, minimumVolume, p99, inARow);
  }

  /** Records {@code total} S3 calls spread evenly, every {@code failEvery}-th one failing. */
  private void feed(AutoRevertController c, int total, int failEvery) {
    for (int i = 1; i <= total; i++) {
      boolean fail = failEvery > 0 && i % failEvery == 0;
      c.record(Backend.S3, fail ? Outcome.S3_5XX : Outcome.SUCCESS, FAST);
      clock.advance(Duration.ofMillis(100));
    }
  }

  @Test
  void tripsWhenTheFailureRateReachesTheThresholdWithEnoughVolume() {
    AutoRevertController c = controller(settings(5, 50, Duration.ZERO, 0, false));
    feed(c, 40, 10); // 10 % failing, but only 40 calls: below the minimum volume
    assertThat(trips).isEmpty();
    feed(c, 10, 10); // 50 calls, 5 failed = 10 %
    assertThat(trips)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.rule()).isEqualTo(TripRule.FAILURE_RATE);
              assertThat(t.window().requests()).isEqualTo(50);
              assertThat(t.window().failures()).isEqualTo(5);
              assertThat(t.reason())
                  .contains("S3 failure rate reached 5 %", "50 S3 calls", "5 failed");
              assertThat(t.dryRun()).isFalse();
            });
  }

  @Test
  void aRateBelowTheThresholdDoesNotTrip() {
    AutoRevertController c = controller(settings(5, 50, Duration.ZERO, 0, false));
    feed(c, 200, 25); // 4 %
    assertThat(trips).isEmpty();
    assertThat(c.snapshot().failureRatePercent()).isEqualTo(4.0);
  }

  @Test
  void tripsOnConsecutiveFailuresWhateverTheVolume() {
    AutoRevertController c = controller(settings(50, 1000, Duration.ZERO, 10, false));
    feed(c, 5, 0);
    for (int i = 0; i < 9; i++) {
      c.record(Backend.S3, Outcome.S3_TIMEOUT, FAST);
    }
    c.record(Backend.S3, Outcome.SUCCESS, FAST); // a success breaks the run
    for (int i = 0; i < 9; i++) {
      c.record(Backend.S3, Outcome.S3_CONNECT, FAST);
    }
    assertThat(trips).isEmpty();
    c.record(Backend.S3, Outcome.S3_THROTTLED, FAST);
    assertThat(trips)
        .singleElement()
        .extracting(Trip::rule)
        .isEqualTo(TripRule.CONSECUTIVE_FAILURES);
  }

  @Test
  void tripsWhenP99LatencyExceedsTheThreshold() {
    AutoRevertController c = controller(settings(0, 100, Duration.ofMillis(500), 0, false));
    for (int i = 0; i < 98; i++) {
      c.recordS3(false, FAST);
    }
    c.recordS3(false, Duration.ofSeconds(2));
    assertThat(trips).isEmpty(); // 99 calls: under the minimum volume
    c.recordS3(false, Duration.ofSeconds(2)); // 2 of 100 slow: p99 is slow
    assertThat(trips)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.rule()).isEqualTo(TripRule.P99_LATENCY);
              assertThat(t.window().p99()).isGreaterThan(Duration.ofMillis(500));
            });
  }

  @Test
  void oneSlowCallInAHundredKeepsP99Fast() {
    AutoRevertController c = controller(settings(0, 100, Duration.ofMillis(500), 0, false));
    for (int i = 0; i < 199; i++) {
      c.recordS3(false, FAST);
    }
    c.recordS3(false, Duration.ofSeconds(5));
    assertThat(trips).isEmpty();
    assertThat(c.snapshot().p99()).isLessThan(Duration.ofMillis(25));
  }

  @Test
  void clientErrorsAndCloudinaryFailuresNeverCountTowardS3() {
    AutoRevertController c = controller(settings(5, 10, Duration.ZERO, 3, false));
    for (int i = 0; i < 100; i++) {
      c.record(Backend.S3, Outcome.CLIENT_ERROR, FAST);
      c.record(Backend.S3, Outcome.NOT_FOUND, FAST);
      c.record(Backend.S3, Outcome.LOCAL_ERROR, FAST);
      c.record(Backend.CLOUDINARY, Outcome.CLOUDINARY_5XX, FAST);
      c.record(Backend.CLOUDINARY, Outcome.CLOUDINARY_TIMEOUT, FAST);
    }
    assertThat(trips).isEmpty();
    assertThat(c.snapshot().requests()).isZero();
  }

  @Test
  void failuresOlderThanTheWindowAgeOut() {
    AutoRevertController c = controller(settings(5, 50, Duration.ZERO, 0, false));
    for (int i = 0; i < 4; i++) {
      c.record(Backend.S3, Outcome.S3_5XX, FAST);
    }
    clock.advance(Duration.ofSeconds(31));
    feed(c, 100, 0);
    assertThat(c.snapshot().failures()).isZero();
    assertThat(c.snapshot().requests()).isEqualTo(100);
    assertThat(trips).isEmpty();
  }

  @Test
  void aTripIsLatchedAndReportedOnceUntilResumed() {
    AutoRevertController c = controller(settings(5, 10, Duration.ZERO, 0, false));
    feed(c, 20, 2);
    feed(c, 100, 2);
    assertThat(trips).hasSize(1);
    assertThat(c.tripped()).contains(trips.get(0));
  }

  @Test
  void resumeClearsTheLatchAndTheEvidence() {
    AutoRevertController c = controller(settings(5, 10, Duration.ZERO, 0, false));
    feed(c, 20, 2);
    assertThat(c.tripped()).isPresent();
    c.resume();
    assertThat(c.tripped()).isEmpty();
    assertThat(c.snapshot().requests()).isZero();
    feed(c, 50, 0);
    assertThat(trips).hasSize(1);
    feed(c, 20, 1);
    assertThat(trips).hasSize(2);
  }

  @Test
  void aDryRunTripsAndSaysSoButIsOtherwiseTheSame() {
    AutoRevertController c = controller(settings(5, 10, Duration.ZERO, 0, true));
    feed(c, 20, 2);
    assertThat(trips)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.dryRun()).isTrue();
              assertThat(t.reason()).endsWith("(dry run)");
            });
  }

  @Test
  void aDisabledControllerNeverTrips() {
    AutoRevertController c =
        controller(
            new AutoRevertSettings(false, false, Duration.ofSeconds(30), 5, 1, Duration.ZERO, 1));
    feed(c, 100, 1);
    assertThat(trips).isEmpty();
  }

  @Test
  void invalidSettingsNameEveryProblem() {
    assertThatThrownBy(
            () -> new AutoRevertSettings(true, false, Duration.ofMillis(1500), 130, 0, null, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window: PT1.5S (expected: whole seconds, 1 to 600)")
        .hasMessageContaining("failureRatePercent: 130 (expected: 0..100)")
        .hasMessageContaining("minimumVolume: 0 (expected: at least 1)")
        .hasMessageContaining("p99Threshold: null")
        .hasMessageContaining("consecutiveFailures: -1");
  }

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    AutoRevertSettings d = AutoRevertSettings.defaults();
    assertThat(d.window()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.failureRatePercent()).isEqualTo(5);
    assertThat(d.minimumVolume()).isEqualTo(50);
    assertThat(d.consecutiveFailures()).isEqualTo(10);
  }
}
