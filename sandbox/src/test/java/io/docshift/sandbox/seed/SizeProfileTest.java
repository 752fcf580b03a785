package io.docshift.sandbox.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SizeProfileTest {
  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;
  private static final int SAMPLES = 20_000;

  @Test
  void demoSpansTwentyKibToEightMib() {
    assertThat(SizeProfile.DEMO.minBytes()).isEqualTo(20 * KIB);
    assertThat(SizeProfile.DEMO.maxBytes()).isEqualTo(8 * MIB);
  }

  @Test
  void backfillBenchSpansFiftyKibToTenMib() {
    assertThat(SizeProfile.BACKFILL_BENCH.minBytes()).isEqualTo(50 * KIB);
    assertThat(SizeProfile.BACKFILL_BENCH.maxBytes()).isEqualTo(10 * MIB);
  }

  @Test
  void backfillBenchIsSeventyTwentyFiveFive() {
    long[] sizes = sample(SizeProfile.BACKFILL_BENCH);
    assertThat(share(sizes, 50 * KIB, 300 * KIB)).isCloseTo(0.70, within(0.015));
    assertThat(share(sizes, MIB, 3 * MIB)).isCloseTo(0.25, within(0.015));
    assertThat(share(sizes, 5 * MIB, 10 * MIB)).isCloseTo(0.05, within(0.01));
  }

  @Test
  void demoIsMostlySmallWithAFewLarge() {
    long[] sizes = sample(SizeProfile.DEMO);
    Arrays.sort(sizes);
    assertThat(sizes[SAMPLES / 2]).isLessThan(256 * KIB);
    assertThat(share(sizes, 20 * KIB, 256 * KIB)).isCloseTo(0.65, within(0.015));
    assertThat(share(sizes, 3 * MIB, 8 * MIB)).isCloseTo(0.04, within(0.01));
    assertThat(sizes[SAMPLES - 1]).isGreaterThan(7 * MIB);
  }

  @Test
  void everySampleIsWithinTheProfileBounds() {
    for (SizeProfile profile : SizeProfile.values()) {
      long[] sizes = sample(profile);
      assertThat(Arrays.stream(sizes).min().orElseThrow())
          .isGreaterThanOrEqualTo(profile.minBytes());
      assertThat(Arrays.stream(sizes).max().orElseThrow()).isLessThanOrEqualTo(profile.maxBytes());
    }
  }

  private static long[] sample(SizeProfile profile) {
    SplittableRandom random = new SplittableRandom(7);
    long[] sizes = new long[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      sizes[i] = profile.sample(random);
    }
    return sizes;
  }

  private static double share(long[] sizes, long min, long max) {
    return Arrays.stream(sizes).filter(size -> size >= min && size <= max).count()
        / (double) sizes.length;
  }
}
