package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Range header resolution (RFC 9110 §14.1.2). */
class ByteRangeTest {

  @Test
  void resolvesSingleRanges() {
    assertThat(RangeHeader.parse("bytes=0-0", 10)).isEqualTo(new RangeHeader(0, 0));
    assertThat(RangeHeader.parse("bytes=4-", 10)).isEqualTo(new RangeHeader(4, 9));
    assertThat(RangeHeader.parse("bytes=8-100", 10)).isEqualTo(new RangeHeader(8, 9));
    assertThat(RangeHeader.parse("bytes=-3", 10)).isEqualTo(new RangeHeader(7, 9));
    assertThat(RangeHeader.parse("bytes=-30", 10)).isEqualTo(new RangeHeader(0, 9));
  }

  @Test
  void unsatisfiableAndIgnoredRanges() {
    assertThat(RangeHeader.parse("bytes=10-", 10)).isSameAs(RangeHeader.UNSATISFIABLE);
    assertThat(RangeHeader.parse("bytes=-0", 10)).isSameAs(RangeHeader.UNSATISFIABLE);
    assertThat(RangeHeader.parse("bytes=0-1,3-4", 10)).isNull();
    assertThat(RangeHeader.parse("bytes=5-2", 10)).isNull();
    assertThat(RangeHeader.parse("items=0-1", 10)).isNull();
    assertThat(RangeHeader.parse(null, 10)).isNull();
  }
}
