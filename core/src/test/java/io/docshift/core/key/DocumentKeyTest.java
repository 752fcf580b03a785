package io.docshift.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DocumentKeyTest {
  private static DocumentKey image(String publicId, String format) {
    return DocumentKey.of("demo", ResourceType.IMAGE, DeliveryType.UPLOAD, publicId, format);
  }

  @Test
  void stickyIdNamesTheDocumentWithoutItsFormat() {
    assertThat(image("docs/report", "pdf").stickyId()).isEqualTo("demo/image/upload/docs/report");
    assertThat(image("docs/report", "pdf").stickyId())
        .isEqualTo(image("docs/report", "png").stickyId());
  }

  @Test
  void stickyBucketIsUnsignedMurmur3Mod100() {
    // Expected values cross-checked with Guava's murmur3_32_fixed: 0x90ef79e3 is negative as a
    // signed int, so a signed modulo would give a different bucket (-85 / 15).
    assertThat(image("sample", "jpg").stickyBucket()).isEqualTo(11);
    assertThat(
            DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "docs/report.pdf", null)
                .stickyBucket())
        .isEqualTo(33);
    assertThat(
            DocumentKey.of("demo", ResourceType.IMAGE, DeliveryType.PRIVATE, "creds/nurse-42", null)
                .stickyBucket())
        .isEqualTo(79);
  }

  @Test
  void stickyBucketIsIndependentOfFormatAndStaysInRange() {
    for (int i = 0; i < 2000; i++) {
      DocumentKey key = image("doc-" + i, "pdf");
      assertThat(key.stickyBucket())
          .isBetween(0, 99)
          .isEqualTo(key.withFormat(null).stickyBucket());
    }
  }

  @Test
  void s3KeyAppendsTheFormatForImageAndVideoOnly() {
    assertThat(image("docs/report", "pdf").s3Key("mig/"))
        .isEqualTo("mig/demo/image/upload/docs/report.pdf");
    assertThat(image("docs/report", null).s3Key("")).isEqualTo("demo/image/upload/docs/report");
    assertThat(
            DocumentKey.of("demo", ResourceType.VIDEO, DeliveryType.AUTHENTICATED, "clip", "mp4")
                .s3Key(""))
        .isEqualTo("demo/video/authenticated/clip.mp4");
    assertThat(
            DocumentKey.of("demo", ResourceType.RAW, DeliveryType.PRIVATE, "docs/report.pdf", null)
                .s3Key("p/"))
        .isEqualTo("p/demo/raw/private/docs/report.pdf");
  }

  @Test
  void equalityIncludesTheFormat() {
    assertThat(image("a", "pdf")).isEqualTo(image("a", "pdf")).hasSameHashCodeAs(image("a", "pdf"));
    assertThat(image("a", "pdf")).isNotEqualTo(image("a", "png")).isNotEqualTo(image("a", null));
    assertThat(image("a", "pdf").fileName()).isEqualTo("a.pdf");
    assertThat(image("a", "pdf")).hasToString("demo/image/upload/a.pdf");
  }

  @Test
  void rawRejectsAFormatOutsideThePublicId() {
    assertThatThrownBy(
            () -> DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "report", "pdf"))
        .isInstanceOf(InvalidDocumentKeyException.class)
        .hasMessageContaining("format 'pdf' given for raw");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/docs/a",
        "docs/a/",
        "docs//a",
        " docs/a",
        "docs/a\t",
        "docs/../a",
        "./a",
        "docs\\a",
        "a\u0000b",
        "a\u007fb"
      })
  void rejectsNonCanonicalPublicIds(String publicId) {
    assertThatThrownBy(() -> image(publicId, null))
        .isInstanceOf(InvalidDocumentKeyException.class)
        .hasMessageContaining("public_id")
        .extracting(e -> ((InvalidDocumentKeyException) e).reason())
        .isEqualTo(InvalidDocumentKeyException.Reason.MALFORMED);
  }

  @Test
  void rejectsOverLongPublicIds() {
    assertThatThrownBy(() -> image("a".repeat(769), null))
        .isInstanceOf(InvalidDocumentKeyException.class)
        .extracting(e -> ((InvalidDocumentKeyException) e).reason())
        .isEqualTo(InvalidDocumentKeyException.Reason.TOO_LONG);
  }

  @Test
  void rejectsBadCloudNamesAndFormats() {
    assertThatThrownBy(
            () -> DocumentKey.of("de mo", ResourceType.IMAGE, DeliveryType.UPLOAD, "a", null))
        .hasMessageContaining("cloud name 'de mo'");
    assertThatThrownBy(() -> image("a", "p.df")).hasMessageContaining("format 'p.df'");
  }

  @Test
  void messagesEscapeControlCharacters() {
    assertThatThrownBy(() -> image("a\nb", null)).hasMessageContaining("a\\u000ab");
  }
}
