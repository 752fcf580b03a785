package io.docshift.sandbox.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DocumentValidityTest {
  private static final long KIB = 1024;

  /** Every media × shape, small and past the rendering cap (multi-segment padding). */
  static Stream<Arguments> recipes() {
    return Stream.of(
        Arguments.of(DocumentKind.BLS_CARD, Media.JPG, true, 20 * KIB),
        Arguments.of(DocumentKind.I9_FORM, Media.JPG, false, 1_200 * KIB + 3),
        Arguments.of(DocumentKind.DRIVERS_LICENSE_BACK, Media.PNG, false, 20 * KIB + 1),
        Arguments.of(DocumentKind.I9_FORM, Media.PNG, false, 900 * KIB),
        Arguments.of(DocumentKind.COVID_VACCINATION_CARD, Media.PDF, false, 20 * KIB),
        Arguments.of(DocumentKind.HIPAA_TRAINING, Media.PDF, false, 100_000),
        Arguments.of(DocumentKind.CLIA_CERTIFICATE, Media.PDF, false, 1_000_000 + 1));
  }

  @ParameterizedTest
  @MethodSource("recipes")
  void everyMediaIsValidAndExactlyItsLength(
      DocumentKind kind, Media media, boolean color, long length) throws IOException {
    Recipe recipe = Recipe.plan(kind, "prof-000001", 2024, media, color, length, 99);
    SeedDocument document = new SeedDocument("image", "upload", "x", media.format(), recipe);
    byte[] bytes = document.open().readAllBytes();
    assertThat(bytes).hasSize((int) length);
    check(recipe, bytes);
  }

  @Test
  void everyDocumentOfADemoCorpusIsValid() throws IOException {
    for (SeedDocument document : DemoCorpus.of(31, 30, SizeProfile.DEMO)) {
      byte[] bytes = document.open().readAllBytes();
      assertThat(bytes).as(document.toString()).hasSize((int) document.length());
      check(document.recipe(), bytes);
    }
  }

  @Test
  void scansUseMostOfTheirBytesForTheImageNotThePadding() throws IOException {
    for (SeedDocument document : DemoCorpus.of(32, 20, SizeProfile.DEMO)) {
      Recipe recipe = document.recipe();
      long share = Math.min(recipe.length(), 384 * KIB);
      assertThat((long) ScanCodec.encodeWithin(recipe, recipe.length()).length)
          .as(document.toString())
          .isGreaterThan(share / 2);
    }
  }

  @Test
  void anOvershootingScanIsReRenderedWithLessNoiseAtTheSameDimensions() throws IOException {
    Recipe recipe =
        Recipe.plan(DocumentKind.I9_FORM, "prof-000001", 2024, Media.JPG, false, 200 * KIB, 1);
    byte[] planned = ScanCodec.encodeWithin(recipe, Long.MAX_VALUE);
    byte[] squeezed = ScanCodec.encodeWithin(recipe, planned.length - 1);
    assertThat(squeezed.length).isLessThan(planned.length);
    FileChecks.checkJpeg(squeezed, recipe.width(), recipe.height());
    assertThatThrownBy(() -> ScanCodec.encodeWithin(recipe, 1_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("expected: <= 1000");
  }

  private static void check(Recipe recipe, byte[] bytes) throws IOException {
    switch (recipe.media()) {
      case JPG -> FileChecks.checkJpeg(bytes, recipe.width(), recipe.height());
      case PNG -> FileChecks.checkPng(bytes, recipe.width(), recipe.height());
      case PDF -> FileChecks.checkPdf(bytes, recipe.width(), recipe.height());
    }
  }
}
