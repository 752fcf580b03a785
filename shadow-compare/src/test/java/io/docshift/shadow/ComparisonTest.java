package io.docshift.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What counts as "the same document" between two reads. */
class ComparisonTest {
  static final ReadSummary PDF = ReadSummary.body(1000, "application/pdf", "a".repeat(32));

  @Test
  void identicalReadsAgree() {
    assertThat(
            Comparison.difference(PDF, ReadSummary.body(1000, "application/pdf", "a".repeat(32))))
        .isEmpty();
  }

  @Test
  void mediaTypeParametersAndCaseDoNotMatter() {
    assertThat(
            Comparison.difference(
                PDF, ReadSummary.body(1000, "Application/PDF; charset=binary", "a".repeat(32))))
        .isEmpty();
  }

  @Test
  void theFirstDifferenceNamesTheResult() {
    assertThat(Comparison.difference(PDF, ReadSummary.notFound())).hasValue(Comparison.STATUS);
    assertThat(Comparison.difference(PDF, ReadSummary.body(999, "application/pdf", "b".repeat(32))))
        .hasValue(Comparison.LENGTH);
    assertThat(Comparison.difference(PDF, ReadSummary.body(1000, "image/png", "b".repeat(32))))
        .hasValue(Comparison.CONTENT_TYPE);
    assertThat(
            Comparison.difference(PDF, ReadSummary.body(1000, "application/pdf", "b".repeat(32))))
        .hasValue(Comparison.CHECKSUM);
  }

  @Test
  void twoStoresThatBothLackTheDocumentAgree() {
    assertThat(Comparison.difference(ReadSummary.notFound(), ReadSummary.notFound())).isEmpty();
  }
}
