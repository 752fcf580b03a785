package io.docshift.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What counts as "the same document" between two reads. */
class ComparisonTest {
  static final ReadSummary PDF = read(1000, "application/pdf", "0000000a", null);

  static ReadSummary read(long bytes, String type, String crc, String md5) {
    return new ReadSummary(200, bytes, type, crc, md5);
  }

  @Test
  void identicalReadsAgree() {
    assertThat(Comparison.difference(PDF, read(1000, "application/pdf", "0000000a", null)))
        .isEmpty();
  }

  @Test
  void mediaTypeParametersAndCaseDoNotMatter() {
    assertThat(
            Comparison.difference(
                PDF, read(1000, "Application/PDF; charset=binary", "0000000a", null)))
        .isEmpty();
  }

  @Test
  void theFirstDifferenceNamesTheResult() {
    assertThat(Comparison.difference(PDF, ReadSummary.notFound())).hasValue(Comparison.STATUS);
    assertThat(Comparison.difference(PDF, read(999, "application/pdf", "0000000b", null)))
        .hasValue(Comparison.LENGTH);
    assertThat(Comparison.difference(PDF, read(1000, "image/png", "0000000b", null)))
        .hasValue(Comparison.CONTENT_TYPE);
    assertThat(Comparison.difference(PDF, read(1000, "application/pdf", "0000000b", null)))
        .hasValue(Comparison.CHECKSUM);
  }

  @Test
  void md5sCountWhenBothReadsComputedThem() {
    ReadSummary a = read(1000, "application/pdf", "0000000a", "a".repeat(32));
    assertThat(Comparison.difference(a, read(1000, "application/pdf", "0000000a", "b".repeat(32))))
        .hasValue(Comparison.CHECKSUM);
    assertThat(Comparison.difference(a, read(1000, "application/pdf", "0000000a", null))).isEmpty();
  }

  @Test
  void twoStoresThatBothLackTheDocumentAgree() {
    assertThat(Comparison.difference(ReadSummary.notFound(), ReadSummary.notFound())).isEmpty();
  }
}
