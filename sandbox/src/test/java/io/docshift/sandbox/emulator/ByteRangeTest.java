package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Range header resolution (RFC 9110 §14.1.2). */
class ByteRangeTest {

  @Test
  void resolvesSingleRanges() {
    assertThat(ByteRange.parse("bytes=0-0", 10)).isEqualTo(new ByteRange(0, 0));
    assertThat(ByteRange.parse("bytes=4-", 10)).isEqualTo(new ByteRange(4, 9));
    assertThat(ByteRange.parse("bytes=8-100", 10)).isEqualTo(new ByteRange(8, 9));
    assertThat(ByteRange.parse("bytes=-3", 10)).isEqualTo(new ByteRange(7, 9));
    assertThat(ByteRange.parse("bytes=-30", 10)).isEqualTo(new ByteRange(0, 9));
  }

  @Test
  void unsatisfiableAndIgnoredRanges() {
    assertThat(ByteRange.parse("bytes=10-", 10)).isSameAs(ByteRange.UNSATISFIABLE);
    assertThat(ByteRange.parse("bytes=-0", 10)).isSameAs(ByteRange.UNSATISFIABLE);
    assertThat(ByteRange.parse("bytes=0-1,3-4", 10)).isNull();
    assertThat(ByteRange.parse("bytes=5-2", 10)).isNull();
    assertThat(ByteRange.parse("items=0-1", 10)).isNull();
    assertThat(ByteRange.parse(null, 10)).isNull();
  }
}
