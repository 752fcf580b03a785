package io.docshift.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadKeysTest {
  @Test
  void folderIsPrependedAndTheDetectedFormatKeptOutsideForImages() {
    DocumentKey key =
        UploadKeys.fromParams(
            "demo", ResourceType.IMAGE, Map.of("public_id", "report", "folder", "/docs/"), "pdf");

    assertThat(key)
        .isEqualTo(
            DocumentKey.of("demo", ResourceType.IMAGE, DeliveryType.UPLOAD, "docs/report", "pdf"));
  }

  @Test
  void explicitFormatParamWinsOverTheDetectedOne() {
    DocumentKey key =
        UploadKeys.fromParams(
            "demo", ResourceType.IMAGE, Map.of("public_id", "scan", "format", "png"), "jpg");

    assertThat(key.format()).contains("png");
  }

  @Test
  void rawKeepsTheExtensionInsideThePublicIdAndHonoursType() {
    DocumentKey key =
        UploadKeys.fromParams(
            "demo",
            ResourceType.RAW,
            Map.of("public_id", "docs/report.pdf", "type", "private", "format", "pdf"),
            "pdf");

    assertThat(key)
        .isEqualTo(
            DocumentKey.of(
                "demo", ResourceType.RAW, DeliveryType.PRIVATE, "docs/report.pdf", null));
  }

  @Test
  void emptyParamsCountAsAbsent() {
    DocumentKey key =
        UploadKeys.fromParams(
            "demo",
            ResourceType.VIDEO,
            Map.of("public_id", "clip", "folder", "", "type", ""),
            null);

    assertThat(key)
        .isEqualTo(DocumentKey.of("demo", ResourceType.VIDEO, DeliveryType.UPLOAD, "clip", null));
  }

  @Test
  void missingPublicIdSaysWhereToGetTheKey() {
    assertThatThrownBy(
            () ->
                UploadKeys.fromParams("demo", ResourceType.IMAGE, Map.of("folder", "docs"), "pdf"))
        .isInstanceOf(InvalidDocumentKeyException.class)
        .hasMessageContaining("public_id: absent (expected: ");
  }

  @Test
  void unsupportedTypeAndTraversalAreRejected() {
    assertThatThrownBy(
            () ->
                UploadKeys.fromParams(
                    "demo", ResourceType.IMAGE, Map.of("public_id", "x", "type", "fetch"), null))
        .isInstanceOf(InvalidDocumentKeyException.class)
        .hasMessageContaining("type: 'fetch'")
        .extracting(e -> ((InvalidDocumentKeyException) e).reason())
        .isEqualTo(InvalidDocumentKeyException.Reason.UNSUPPORTED);
    assertThatThrownBy(
            () ->
                UploadKeys.fromParams(
                    "demo", ResourceType.RAW, Map.of("public_id", "../etc/passwd"), null))
        .hasMessageContaining("traversal");
  }
}
