package io.docshift.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.outcome.Outcome;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadLatencyTest {
  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void aReadFallsInTheFirstBucketWhoseBoundItStaysUnder() {
    assertThat(ReadLatency.of(Outcome.SUCCESS, ms(0))).isEqualTo(ReadLatency.UNDER_25_MS);
    assertThat(ReadLatency.of(Outcome.SUCCESS, ms(24))).isEqualTo(ReadLatency.UNDER_25_MS);
    assertThat(ReadLatency.of(Outcome.SUCCESS, ms(25))).isEqualTo(ReadLatency.UNDER_50_MS);
    assertThat(ReadLatency.of(Outcome.SUCCESS, ms(50))).isEqualTo(ReadLatency.UNDER_100_MS);
    assertThat(ReadLatency.of(Outcome.SUCCESS, ms(99))).isEqualTo(ReadLatency.UNDER_100_MS);
    assertThat(ReadLatency.of(Outcome.SUCCESS, ms(100))).isEqualTo(ReadLatency.UNDER_250_MS);
    assertThat(ReadLatency.of(Outcome.NOT_FOUND, ms(499))).isEqualTo(ReadLatency.UNDER_500_MS);
    assertThat(ReadLatency.of(Outcome.SUCCESS, ms(2_499))).isEqualTo(ReadLatency.UNDER_2500_MS);
    assertThat(ReadLatency.of(Outcome.SUCCESS, ms(60_000))).isEqualTo(ReadLatency.SLOWER);
  }

  @Test
  void aStoreFaultIsAFaultHoweverQuickAndAClientErrorIsNot() {
    assertThat(ReadLatency.of(Outcome.S3_TIMEOUT, ms(1))).isEqualTo(ReadLatency.FAULT);
    assertThat(ReadLatency.of(Outcome.CLOUDINARY_CONNECT, ms(1))).isEqualTo(ReadLatency.FAULT);
    assertThat(ReadLatency.of(Outcome.CLIENT_ERROR, ms(1))).isEqualTo(ReadLatency.UNDER_25_MS);
  }

  @Test
  void slowerThanABoundMeansEveryReadOfTheBucketTookAtLeastThatLong() {
    assertThat(ReadLatency.UNDER_500_MS.slowerThan(500)).isFalse();
    assertThat(ReadLatency.UNDER_1_S.slowerThan(500)).isTrue();
    assertThat(ReadLatency.SLOWER.slowerThan(2_500)).isTrue();
    assertThat(ReadLatency.UNDER_100_MS.slowerThan(100)).isFalse();
    assertThat(ReadLatency.UNDER_100_MS.slowerThan(50)).isTrue();
    assertThat(ReadLatency.UNDER_50_MS.slowerThan(25)).isTrue();
    assertThat(ReadLatency.UNDER_25_MS.slowerThan(25)).isFalse();
    assertThat(ReadLatency.UNDER_250_MS.slowerThan(100)).isTrue();
    assertThat(ReadLatency.FAULT.slowerThan(100)).isFalse();
  }

  @Test
  void onlyTheBucketsFiniteUpperBoundsAreThresholds() {
    assertThat(ReadLatency.isBound(25)).isTrue();
    assertThat(ReadLatency.isBound(50)).isTrue();
    assertThat(ReadLatency.isBound(500)).isTrue();
    assertThat(ReadLatency.isBound(2_500)).isTrue();
    assertThat(ReadLatency.isBound(300)).isFalse();
    assertThat(ReadLatency.isBound(Long.MAX_VALUE)).isFalse();
    assertThat(ReadLatency.bounds()).isEqualTo("25, 50, 100, 250, 500, 1000, 2500");
  }
}
