package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worked examples of Cloudinary contract §4 (secret {@code abcd}). */
class SignaturesTest {

  @Test
  void signsTheSupportArticleExample() {
    Map<String, List<String>> params =
        params("public_id", "sample_image", "timestamp", "1315060510");
    assertThat(Signatures.stringToSign(params, 2))
        .isEqualTo("public_id=sample_image&timestamp=1315060510");
    assertThat(Signatures.hex("SHA-1", Signatures.stringToSign(params, 2) + "abcd"))
        .isEqualTo("b4ad47fb4e25c7bf5f92a20089f9db59bc302313");
    assertThat(Signatures.verify(params, "abcd", "b4ad47fb4e25c7bf5f92a20089f9db59bc302313"))
        .isTrue();
  }

  @Test
  void signsTheDocsEagerExampleAndIgnoresUnsignedParams() {
    Map<String, List<String>> params =
        params(
            "timestamp", "1315060510",
            "eager", "w_400,h_300,c_pad|w_260,h_200,c_crop",
            "public_id", "sample_image",
            "api_key", "123",
            "file", "ignored",
            "resource_type", "image",
            "cloud_name", "demo",
            "signature", "x");
    assertThat(Signatures.verify(params, "abcd", "bfd09f95f331f558cbd1320e67aa8d488770583e"))
        .isTrue();
    assertThat(Signatures.verify(params, "abcd", "bfd09f95f331f558cbd1320e67aa8d488770583f"))
        .isFalse();
  }

  @Test
  void acceptsSha256() {
    Map<String, List<String>> params =
        params("public_id", "sample_image", "timestamp", "1315060510");
    String sha256 = Signatures.hex("SHA-256", "public_id=sample_image&timestamp=1315060510abcd");
    assertThat(sha256).hasSize(64);
    assertThat(Signatures.verify(params, "abcd", sha256)).isTrue();
  }

  @Test
  void arraysAreSignedUnderTheBareNameAndVersionsDifferOnAmpersands() {
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("tags[]", List.of("cat", "dog"));
    params.put("context", List.of("a=1&b=2"));
    params.put("empty", List.of(""));
    assertThat(Signatures.stringToSign(params, 1)).isEqualTo("context=a=1&b=2&tags=cat,dog");
    assertThat(Signatures.stringToSign(params, 2)).isEqualTo("context=a=1%26b=2&tags=cat,dog");
    String v1 = Signatures.hex("SHA-1", Signatures.stringToSign(params, 1) + "abcd");
    String v2 = Signatures.hex("SHA-1", Signatures.stringToSign(params, 2) + "abcd");
    assertThat(Signatures.verify(params, "abcd", v1)).isTrue();
    assertThat(Signatures.verify(params, "abcd", v2)).isTrue();
  }

  @Test
  void responseSignatureMatchesTheDocumentedPrefix() {
    assertThat(Signatures.responseSignature("sample_image", 1315060510, "abcd"))
        .startsWith("da0b06b0")
        .endsWith("b118");
  }

  @Test
  void urlSignatureMatchesTheDeliveryExample() {
    assertThat(Signatures.urlSignature("w_300,h_250,e_grayscale/sample.jpg", "abcd", false))
        .isEqualTo("yNICjdno");
    assertThat(Signatures.urlSignature("sample.jpg", "abcd", true)).hasSize(32);
  }

  private static Map<String, List<String>> params(String... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1]));
    }
    return m;
  }
}
