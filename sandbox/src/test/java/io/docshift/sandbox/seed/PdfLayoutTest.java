package io.docshift.sandbox.seed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PdfLayoutTest {
  /** Totals around the points where the image /Length or startxref gains a digit. */
  @ParameterizedTest
  @ValueSource(
      longs = {
        20_480,
        99_998,
        99_999,
        100_000,
        100_001,
        101_500,
        101_600,
        999_999,
        1_000_000,
        1_001_700,
        1_001_800,
        10_485_760
      })
  void solvesForExactTotalsAcrossDigitBoundaries(long total) {
    for (int nearby = -6; nearby <= 6; nearby++) {
      Recipe recipe =
          Recipe.plan(
              DocumentKind.HIPAA_TRAINING, "fac-000001", 2025, Media.PDF, false, total + nearby, 5);
      PdfLayout layout = PdfLayout.of(recipe);
      assertThat(layout.head().length + layout.imageLength() + layout.tail().length)
          .isEqualTo(total + nearby);
    }
  }
}
