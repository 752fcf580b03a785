package io.docshift.stores.cloudinary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.SignatureAlgorithm;
import io.docshift.core.key.DeliveryRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worked examples of Cloudinary contract §4 (secret {@code abcd}). */
class CloudinarySignerTest {
  private final CloudinarySigner sha1 = new CloudinarySigner("abcd", SignatureAlgorithm.SHA1);

  @Test
  void signsParamsLikeTheSupportArticle() {
    Map<String, Object> params = Map.of("public_id", "sample_image", "timestamp", "1315060510");

    assertThat(CloudinarySigner.stringToSign(params, 2))
        .isEqualTo("public_id=sample_image&timestamp=1315060510");
    assertThat(sha1.signParams(params)).isEqualTo("b4ad47fb4e25c7bf5f92a20089f9db59bc302313");
  }

  @Test
  void signsTheEagerExampleFromTheDocs() {
    Map<String, Object> params =
        Map.of(
            "timestamp", 1315060510L,
            "public_id", "sample_image",
            "eager", "w_400,h_300,c_pad|w_260,h_200,c_crop");

    assertThat(sha1.signParams(params)).isEqualTo("bfd09f95f331f558cbd1320e67aa8d488770583e");
  }

  @Test
  void excludesUnsignedParamsAndEmptyValuesAndJoinsLists() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("timestamp", "1426101730");
    params.put("tags", List.of("posts_image", "dev"));
    params.put("file", "data");
    params.put("api_key", "123");
    params.put("resource_type", "image");
    params.put("cloud_name", "demo");
    params.put("signature", "x");
    params.put("folder", "");
    params.put("context", null);

    assertThat(CloudinarySigner.stringToSign(params, 2))
        .isEqualTo("tags=posts_image,dev&timestamp=1426101730");
  }

  @Test
  void versionTwoEscapesAmpersandsInsideValues() {
    Map<String, Object> params = Map.of("context", "a=b&c", "timestamp", "1");

    assertThat(CloudinarySigner.stringToSign(params, 1)).isEqualTo("context=a=b&c&timestamp=1");
    assertThat(CloudinarySigner.stringToSign(params, 2)).isEqualTo("context=a=b%26c&timestamp=1");
    assertThat(sha1.signParams(params, 1)).isNotEqualTo(sha1.signParams(params, 2));
    assertThat(sha1.verifyParams(params, sha1.signParams(params, 2).toUpperCase(), 2)).isTrue();
    assertThatThrownBy(() -> CloudinarySigner.stringToSign(params, 3))
        .hasMessageContaining("signatureVersion: 3 (expected: 1 or 2)");
  }

  @Test
  void deliverySignatureMatchesTheContractExample() {
    assertThat(sha1.deliverySignature("w_300,h_250,e_grayscale/sample.jpg")).isEqualTo("yNICjdno");
  }

  @Test
  void verifiesTheSignatureOfAParsedDeliveryPath() {
    DeliveryRequest request =
        DeliveryRequest.parse(
            "/demo/image/authenticated/s--yNICjdno--/w_300,h_250,e_grayscale/v7/sample.jpg",
            "demo");

    assertThat(sha1.verifyDelivery(request.stringToSign(), request.signature().orElseThrow()))
        .isTrue();
    assertThat(sha1.verifyDelivery("w_300,h_250,e_grayscale/other.jpg", "yNICjdno")).isFalse();
    assertThat(sha1.verifyDelivery(request.stringToSign(), "yNICjdn")).isFalse();
  }

  @Test
  void longSignaturesAreSha256And32Characters() {
    String sig = sha1.longDeliverySignature("sample.jpg");

    assertThat(sig).hasSize(32).doesNotContain("+", "/");
    assertThat(sha1.verifyDelivery("sample.jpg", sig)).isTrue();
  }

  @Test
  void responseSignatureMatchesTheContractExample() {
    // Contract: da0b06b0...b118; full value is
    // SHA-1("public_id=sample_image&version=1315060510abcd").
    assertThat(sha1.responseSignature("sample_image", 1315060510L))
        .isEqualTo("da0b06b01c07c62db129b77abe532ca8b7ffb118");
  }

  @Test
  void sha256AccountsSignWithSha256() {
    CloudinarySigner sha256 = new CloudinarySigner("abcd", SignatureAlgorithm.SHA256);

    // SHA-256("public_id=sample_image&timestamp=1315060510abcd"), computed independently.
    assertThat(sha256.signParams(Map.of("public_id", "sample_image", "timestamp", "1315060510")))
        .isEqualTo("e3c44b54e67a3ecc918f5d7236ca5faa36250ea8a8cd6cbabfd2d6bb2453acac");
  }
}
