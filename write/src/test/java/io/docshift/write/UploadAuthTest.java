package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.SignatureAlgorithm;
import io.docshift.stores.cloudinary.CloudinarySigner;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The upload signature check, one row per parameter set. The valid case is Cloudinary's own
 * documented example (secret {@code abcd}, SHA-1), so the check is held to the wire contract, not
 * to DocShift's signer.
 */
class UploadAuthTest {
  private static final String KEY = "1234";
  private static final long NOW = 1_315_060_510L + 60;
  private static final String EXAMPLE_SIGNATURE = "bfd09f95f331f558cbd1320e67aa8d488770583e";

  private static UploadAuth auth(SignatureAlgorithm algorithm) {
    CloudinaryAccount account =
        new CloudinaryAccount(
            "demo",
            KEY,
            "abcd",
            URI.create("http://127.0.0.1:1"),
            URI.create("http://127.0.0.1:1/demo"),
            algorithm);
    return new UploadAuth(account, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
  }

  /** Cloudinary's documented example call, with {@code api_key} and {@code signature}. */
  private static Map<String, String> example() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("eager", "w_400,h_300,c_pad|w_260,h_200,c_crop");
    params.put("public_id", "sample_image");
    params.put("timestamp", "1315060510");
    params.put("api_key", KEY);
    params.put("signature", EXAMPLE_SIGNATURE);
    return params;
  }

  @Test
  void cloudinarysDocumentedExampleIsAccepted() {
    assertThatCode(() -> auth(SignatureAlgorithm.SHA1).verify(example()))
        .doesNotThrowAnyException();
    Map<String, String> upperCase = example();
    upperCase.put("signature", EXAMPLE_SIGNATURE.toUpperCase(java.util.Locale.ROOT));
    assertThatCode(() -> auth(SignatureAlgorithm.SHA1).verify(upperCase))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '"',
      nullValues = "null",
      textBlock =
          """
          api_key   ; null                ; 401 ; Must supply api_key
          api_key   ; ""                  ; 401 ; Must supply api_key
          api_key   ; 9999                ; 401 ; Unknown API key 9999
          timestamp ; null                ; 400 ; Missing required parameter - timestamp
          timestamp ; soon                ; 400 ; Invalid timestamp soon
          timestamp ; 1315056909          ; 400 ; Stale request - reported time is 2011-09-03 13:35:09 +0000 which is more than 1 hour ago
          signature ; null                ; 400 ; Missing required parameter - signature
          public_id ; other_image         ; 401 ; Invalid Signature bfd09f95f331f558cbd1320e67aa8d488770583e. String to sign - 'eager=w_400,h_300,c_pad|w_260,h_200,c_crop&public_id=other_image&timestamp=1315060510'.
          """)
  void aChangedParameterIsRefusedWithCloudinarysStatusAndWording(
      String name, String value, int status, String message) {
    Map<String, String> params = example();
    if (value == null) {
      params.remove(name);
    } else {
      params.put(name, value);
    }
    assertThatThrownBy(() -> auth(SignatureAlgorithm.SHA1).verify(params))
        .isInstanceOfSatisfying(BadUpload.class, e -> assertThat(e.status()).isEqualTo(status))
        .hasMessage(message);
  }

  @Test
  void aTimestampExactlyAnHourOldIsStillFresh() {
    Map<String, String> params = example();
    params.put("timestamp", Long.toString(NOW - 3600));
    params.put(
        "signature", new CloudinarySigner("abcd", SignatureAlgorithm.SHA1).signParams(params));
    assertThatCode(() -> auth(SignatureAlgorithm.SHA1).verify(params)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "{0}, signature version {1}")
  @CsvSource({"SHA1, 1", "SHA1, 2", "SHA256, 1", "SHA256, 2"})
  void eitherSignatureVersionUnderTheAccountsAlgorithmIsAccepted(
      SignatureAlgorithm algorithm, int version) {
    Map<String, String> params = example();
    params.put("context", "a=1&b=2"); // an & inside a value is where v1 and v2 differ
    params.put("signature", new CloudinarySigner("abcd", algorithm).signParams(params, version));
    assertThatCode(() -> auth(algorithm).verify(params)).doesNotThrowAnyException();
    SignatureAlgorithm other =
        algorithm == SignatureAlgorithm.SHA1 ? SignatureAlgorithm.SHA256 : SignatureAlgorithm.SHA1;
    assertThatThrownBy(() -> auth(other).verify(params))
        .isInstanceOfSatisfying(BadUpload.class, e -> assertThat(e.status()).isEqualTo(401));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      textBlock =
          """
          signature only    | abc  | null | true
          api_key only      | null | 1234 | true
          empty both        | ''   | ''   | false
          neither           | null | null | false
          """)
  void aCallIsSignedWhenItCarriesASignatureOrAKey(
      String name, String signature, String apiKey, boolean signed) {
    Map<String, String> params = new LinkedHashMap<>();
    if (signature != null) {
      params.put("signature", signature);
    }
    if (apiKey != null) {
      params.put("api_key", apiKey);
    }
    assertThat(UploadAuth.isSigned(params)).isEqualTo(signed);
  }

  /** The Admin API's Basic credentials, checked by DocShift itself in {@code S3_ONLY}. */
  @ParameterizedTest
  @CsvSource({
    "'1234:abcd', ",
    "'1234:wrong', api_secret mismatch",
    "'9999:abcd', Unknown API key 9999",
    "'1234', api_secret mismatch",
  })
  void basicCredentialsAreTheAccountsKeyAndSecret(String credentials, String refusal) {
    String header =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    UploadAuth auth = auth(SignatureAlgorithm.SHA1);
    if (refusal == null) {
      assertThatCode(() -> auth.verifyBasic(header)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> auth.verifyBasic(header))
          .isInstanceOf(BadUpload.class)
          .hasMessage(refusal)
          .satisfies(e -> assertThat(((BadUpload) e).status()).isEqualTo(401));
    }
    assertThatThrownBy(() -> auth.verifyBasic(null)).hasMessage("Must supply api_key");
    assertThatThrownBy(() -> auth.verifyBasic("Basic !!!"))
        .hasMessage("Invalid Basic authorization header");
  }
}
