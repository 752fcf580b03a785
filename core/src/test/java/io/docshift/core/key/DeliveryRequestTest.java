package io.docshift.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.key.InvalidDocumentKeyException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryRequestTest {
  private static final String CLOUD = "demo";

  private static DeliveryRequest parse(String path) {
    return DeliveryRequest.parse(path, CLOUD);
  }

  private static DocumentKey key(ResourceType rt, DeliveryType type, String id, String format) {
    return DocumentKey.of(CLOUD, rt, type, id, format);
  }

  @Test
  void plainPublicImage() {
    DeliveryRequest request = parse("/demo/image/upload/sample.jpg");

    assertThat(request.key())
        .isEqualTo(key(ResourceType.IMAGE, DeliveryType.UPLOAD, "sample", "jpg"));
    assertThat(request.hasCloudSegment()).isTrue();
    assertThat(request.signature()).isEmpty();
    assertThat(request.transformations()).isEmpty();
    assertThat(request.isOriginal()).isTrue();
    assertThat(request.version()).isEmpty();
    assertThat(request.stringToSign()).isEqualTo("sample.jpg");
  }

  @Test
  void privateCdnFormHasNoCloudSegment() {
    DeliveryRequest request = parse("/image/upload/v1584376364/goldfish.jpg");

    assertThat(request.key())
        .isEqualTo(key(ResourceType.IMAGE, DeliveryType.UPLOAD, "goldfish", "jpg"));
    assertThat(request.hasCloudSegment()).isFalse();
    assertThat(request.version()).hasValue(1584376364L);
  }

  @Test
  void forcedVersionSeparatesFoldersFromTransformations() {
    DeliveryRequest request = parse("/demo/image/upload/v1/docs/report.pdf");

    assertThat(request.key())
        .isEqualTo(key(ResourceType.IMAGE, DeliveryType.UPLOAD, "docs/report", "pdf"));
    assertThat(request.version()).hasValue(1L);
    assertThat(request.stringToSign()).isEqualTo("docs/report.pdf");
  }

  @Test
  void folderWithoutVersion() {
    DeliveryRequest request = parse("/demo/image/upload/docs/2024/report.pdf");

    assertThat(request.key().publicId()).isEqualTo("docs/2024/report");
    assertThat(request.transformations()).isEmpty();
  }

  @Test
  void rawKeepsTheExtensionInThePublicId() {
    DeliveryRequest request = parse("/demo/raw/upload/v123/docs/report.pdf");

    assertThat(request.key())
        .isEqualTo(key(ResourceType.RAW, DeliveryType.UPLOAD, "docs/report.pdf", null));
    assertThat(request.key().format()).isEmpty();
  }

  @Test
  void imageWithoutExtensionHasNoFormat() {
    assertThat(parse("/demo/image/upload/v1/docs/scan").key())
        .isEqualTo(key(ResourceType.IMAGE, DeliveryType.UPLOAD, "docs/scan", null));
    assertThat(parse("/demo/video/upload/v5/clip.mp4").key())
        .isEqualTo(key(ResourceType.VIDEO, DeliveryType.UPLOAD, "clip", "mp4"));
  }

  @Test
  void transformationChainsBeforeAVersion() {
    DeliveryRequest request = parse("/demo/image/upload/w_300,h_250/e_grayscale/v12/sample.jpg");

    assertThat(request.transformations()).containsExactly("w_300,h_250", "e_grayscale");
    assertThat(request.isOriginal()).isFalse();
    assertThat(request.version()).hasValue(12L);
    assertThat(request.key())
        .isEqualTo(key(ResourceType.IMAGE, DeliveryType.UPLOAD, "sample", "jpg"));
    assertThat(request.stringToSign()).isEqualTo("w_300,h_250/e_grayscale/sample.jpg");
  }

  @Test
  void transformationsWithoutVersionStopAtTheFirstNonTransformation() {
    DeliveryRequest request = parse("/demo/image/upload/c_fill,w_100/docs/my_scan.png");

    assertThat(request.transformations()).containsExactly("c_fill,w_100");
    assertThat(request.key().publicId()).isEqualTo("docs/my_scan");
  }

  @Test
  void signedPrivateUrl() {
    DeliveryRequest request = parse("/demo/image/private/s--TGo7W8ew--/v1584376364/goldfish.jpg");

    assertThat(request.signature()).contains("TGo7W8ew");
    assertThat(request.key())
        .isEqualTo(key(ResourceType.IMAGE, DeliveryType.PRIVATE, "goldfish", "jpg"));
    assertThat(request.stringToSign()).isEqualTo("goldfish.jpg");
  }

  @Test
  void signedUrlWithTransformationsSignsTheRawText() {
    DeliveryRequest request =
        parse("/demo/image/authenticated/s--yNICjdno--/w_300,h_250,e_grayscale/sample.jpg");

    assertThat(request.signature()).contains("yNICjdno");
    assertThat(request.transformations()).isEqualTo(List.of("w_300,h_250,e_grayscale"));
    assertThat(request.stringToSign()).isEqualTo("w_300,h_250,e_grayscale/sample.jpg");
  }

  @Test
  void longSignatureIsRecognised() {
    String sig = "abcdefghijklmnopqrstuvwxyz012345";
    assertThat(parse("/demo/raw/private/s--" + sig + "--/a.txt").signature()).contains(sig);
  }

  @Test
  void percentDecodingHappensExactlyOnce() {
    DeliveryRequest request = parse("/demo/raw/authenticated/v1/docs/a%20b%2525c.pdf");

    assertThat(request.key().publicId()).isEqualTo("docs/a b%25c.pdf");
    assertThat(request.stringToSign()).isEqualTo("docs/a%20b%2525c.pdf");
  }

  @Test
  void utf8EscapesAndPlusSigns() {
    assertThat(parse("/demo/raw/upload/%C3%A9t%C3%A9+1.pdf").key().publicId())
        .isEqualTo("été+1.pdf");
    assertThat(parse("/demo/raw/upload/été.pdf").key().publicId()).isEqualTo("été.pdf");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/demo/image/upload/../secret.jpg | traversal",
        "/demo/image/upload/%2e%2e/secret.jpg | traversal",
        "/demo/image/upload/%2E%2E/secret.jpg | traversal",
        "/demo/image/upload/./a.jpg | traversal",
        "/demo/image/upload/docs%2f..%2fsecret.jpg | encoded slash",
        "/demo/image/upload/docs%2F..%2Fsecret.jpg | encoded slash",
        "/demo/image/upload/docs\\secret.jpg | backslash",
        "/demo/image/upload/docs%5csecret.jpg | backslash",
        "/demo/image/upload/a%00b.jpg | control character",
        "/demo/image/upload/a%0Ab.jpg | control character",
        "/demo/image/upload/a%C2%85b.jpg | control character",
        "/demo/image/upload//a.jpg | empty segment",
        "/demo/image/upload/a.jpg/ | empty segment",
        "/demo/image/upload/%20a.jpg | whitespace",
        "/demo/image/upload/docs/a%20 | whitespace",
        "/demo/image/upload/a%zz.jpg | bad percent escape",
        "/demo/image/upload/a%2.jpg | bad percent escape",
        "/demo/image/upload/a%C3.jpg | not valid UTF-8",
        "demo/image/upload/a.jpg | does not start with '/'",
        "/demo/image/upload/a.jpg?x=1 | query or fragment",
        "/demo/image/upload | has no public_id",
        "/demo/image | ends before the delivery type",
      })
  void rejectsMalformedPaths(String path, String expectedMessage) {
    assertThatThrownBy(() -> parse(path))
        .isInstanceOf(InvalidDocumentKeyException.class)
        .hasMessageContaining(expectedMessage)
        .extracting(e -> ((InvalidDocumentKeyException) e).reason())
        .isEqualTo(Reason.MALFORMED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/demo/images/upload/a.jpg | resource type 'images'",
        "/demo/pdf/upload/a.pdf | resource type 'pdf'",
        "/other/image/upload/a.jpg | resource type 'other'",
        "/demo/image/fetch/a.jpg | delivery type 'fetch'",
        "/image/facebook/a.jpg | delivery type 'facebook'",
      })
  void rejectsWhatDocShiftDoesNotStore(String path, String expectedMessage) {
    assertThatThrownBy(() -> parse(path))
        .isInstanceOf(InvalidDocumentKeyException.class)
        .hasMessageContaining(expectedMessage)
        .extracting(e -> ((InvalidDocumentKeyException) e).reason())
        .isEqualTo(Reason.UNSUPPORTED);
  }

  @Test
  void rejectsOverLongPathsAndIds() {
    assertThatThrownBy(() -> parse("/demo/raw/upload/" + "a".repeat(3000)))
        .hasMessageContaining("at most 2048")
        .extracting(e -> ((InvalidDocumentKeyException) e).reason())
        .isEqualTo(Reason.TOO_LONG);
    String longId = ("a".repeat(99) + "/").repeat(9) + "b.pdf";
    assertThatThrownBy(() -> parse("/demo/raw/upload/" + longId))
        .extracting(e -> ((InvalidDocumentKeyException) e).reason())
        .isEqualTo(Reason.TOO_LONG);
  }

  @Test
  void cloudNamedLikeAResourceTypeStillParses() {
    DeliveryRequest request = DeliveryRequest.parse("/image/image/upload/a.jpg", "image");

    assertThat(request.hasCloudSegment()).isTrue();
    assertThat(request.key().cloud()).isEqualTo("image");
  }
}
