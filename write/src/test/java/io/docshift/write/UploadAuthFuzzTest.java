package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.SignatureAlgorithm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzzes the upload signature check with parameters read as {@code name=value&...}: it either
 * accepts or refuses with {@link BadUpload} (400 or 401), never anything else. Without {@code
 * JAZZER_FUZZ} this runs over the committed inputs in {@code UploadAuthFuzzTestInputs}.
 */
class UploadAuthFuzzTest {
  private static final UploadAuth AUTH =
      new UploadAuth(
          new CloudinaryAccount(
              "demo",
              "123456789012345",
              "fuzz-secret",
              URI.create("http://127.0.0.1:1"),
              URI.create("http://127.0.0.1:1/demo"),
              SignatureAlgorithm.SHA1),
          Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC));

  @FuzzTest(maxDuration = "1m")
  void acceptsOrRefuses(byte[] input) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : new String(input, StandardCharsets.UTF_8).split("&", -1)) {
      int eq = pair.indexOf('=');
      params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
    }
    try {
      AUTH.verify(params);
      assertThat(params.get("signature")).isNotEmpty();
    } catch (BadUpload refused) {
      assertThat(refused.status()).isIn(400, 401);
    }
  }
}
