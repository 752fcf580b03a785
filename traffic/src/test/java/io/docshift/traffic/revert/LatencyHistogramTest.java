package io.docshift.traffic.revert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void bucketsAreTenPercentWideSoAQuantileIsWithinTenPercent() {
    for (long micros : new long[] {1, 99, 100, 101, 999, 12_345, 1_000_000, 30_000_000}) {
      long upper = LatencyHistogram.upperMicros(LatencyHistogram.bucketOf(micros));
      assertThat(upper).isGreaterThanOrEqualTo(micros);
      assertThat(upper).isLessThanOrEqualTo(Math.max(100, (long) Math.ceil(micros * 1.1) + 1));
    }
  }

  @Test
  void aMinuteLongCallLandsInTheLastBucket() {
    int last = LatencyHistogram.BUCKETS - 1;
    assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(last);
    assertThat(LatencyHistogram.upperMicros(last)).isGreaterThan(60_000_000L);
  }

  @Test
  void quantileOfTheMergedCounts() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 1; i <= 1000; i++) {
      h.add(i * 1000L); // 1 ms .. 1 s
    }
    long[] totals = new long[LatencyHistogram.BUCKETS];
    h.addTo(totals);
    long p99 = LatencyHistogram.quantileMicros(totals, 1000, 0.99);
    assertThat(p99).isBetween(990_000L, 1_090_000L);
    assertThat(LatencyHistogram.quantileMicros(new long[LatencyHistogram.BUCKETS], 0, 0.99))
        .isZero();
  }
}
