package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unsigned uploads as a browser makes them: accepted only with an upload preset the account marks
 * unsigned, refused in Cloudinary's words otherwise, and never replacing an existing asset.
 */
class UnsignedPresetTest {
  @TempDir Path dataDir;
  CloudinaryEmulator emulator;

  @BeforeEach
  void start() {
    emulator =
        CloudinaryEmulator.start(
            EmulatorConfig.builder()
                .dataDir(dataDir)
                .uploadPreset("browser", true)
                .uploadPreset("server-only", false)
                .build());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void anUnsignedPresetAcceptsAnUploadWithoutSignature() throws Exception {
    HttpResponse<String> r = upload(Map.of("upload_preset", "browser", "public_id", "b/one"), "A");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"public_id\":\"b/one\"").doesNotContain("existing");
  }

  @Test
  void aPresetTheAccountLacksOrASignedOnlyOneIsRefused() throws Exception {
    HttpResponse<String> unknown = upload(Map.of("upload_preset", "nope", "public_id", "x"), "A");
    HttpResponse<String> signedOnly =
        upload(Map.of("upload_preset", "server-only", "public_id", "x"), "A");
    HttpResponse<String> none = upload(Map.of("public_id", "x"), "A");

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo("{\"error\":{\"message\":\"Upload preset not found\"}}");
    assertThat(signedOnly.statusCode()).isEqualTo(400);
    assertThat(signedOnly.body())
        .contains("Upload preset must be whitelisted for unsigned uploads");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).contains("Must supply api_key");
  }

  @Test
  void anUnsignedUploadNeverReplacesAnExistingAsset() throws Exception {
    assertThat(upload(Map.of("upload_preset", "browser", "public_id", "b/keep"), "A").statusCode())
        .isEqualTo(200);

    HttpResponse<String> again =
        upload(Map.of("upload_preset", "browser", "public_id", "b/keep"), "B");
    HttpResponse<String> forced =
        upload(Map.of("upload_preset", "browser", "public_id", "b/keep", "overwrite", "true"), "B");

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("\"existing\":true");
    assertThat(forced.statusCode()).isEqualTo(400);
    assertThat(forced.body()).contains("Overwrite parameter is not allowed");
    HttpResponse<String> delivered =
        TestData.HTTP.send(
            HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/demo/raw/upload/b/keep"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(delivered.body()).isEqualTo("%PDF-A");
  }

  /** A raw upload of {@code "%PDF-" + text} as a data URI, url-encoded like a browser form. */
  private HttpResponse<String> upload(Map<String, String> params, String text) throws Exception {
    Map<String, String> fields = new LinkedHashMap<>(params);
    fields.put(
        "file",
        "data:application/pdf;base64,"
            + Base64.getEncoder()
                .encodeToString(("%PDF-" + text).getBytes(StandardCharsets.US_ASCII)));
    String form =
        fields.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v1_1/demo/raw/upload"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return TestData.HTTP.send(post, HttpResponse.BodyHandlers.ofString());
  }
}
