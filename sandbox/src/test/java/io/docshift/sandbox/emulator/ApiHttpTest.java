package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.testkit.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API edges over plain HTTP: rate limiting with an injected clock, limits, routing errors. */
class ApiHttpTest {
  @TempDir Path dataDir;
  MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:15:00Z"));
  CloudinaryEmulator emulator;

  @BeforeEach
  void start() {
    emulator =
        CloudinaryEmulator.start(
            EmulatorConfig.builder()
                .dataDir(dataDir)
                .adminCallsPerHour(2)
                .maxUploadBytes(1000)
                .clock(clock)
                .build());
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void adminBudgetIsSpentThen420UntilTheNextHour() throws Exception {
    HttpResponse<String> first = admin("/ping");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-FeatureRateLimit-Limit")).hasValue("2");
    assertThat(first.headers().firstValue("X-FeatureRateLimit-Remaining")).hasValue("1");
    assertThat(first.headers().firstValue("X-FeatureRateLimit-Reset"))
        .hasValue("Sun, 01 Mar 2026 11:00:00 GMT");
    assertThat(admin("/resources/image").statusCode()).isEqualTo(200);
    HttpResponse<String> limited = admin("/ping");
    assertThat(limited.statusCode()).isEqualTo(420);
    assertThat(limited.body()).contains("\"error\":{\"message\":");
    assertThat(limited.headers().firstValue("X-FeatureRateLimit-Remaining")).hasValue("0");
    clock.advance(Duration.ofMinutes(45));
    assertThat(admin("/ping").statusCode()).isEqualTo(200);
  }

  @Test
  void apiErrorsAreJsonWithCloudinaryHeaders() throws Exception {
    HttpResponse<String> tooMany = admin("/resources/raw?max_results=501");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    assertThat(tooMany.headers().firstValue("Server")).hasValue("cloudinary");
    assertThat(tooMany.headers().firstValue("X-Request-Id")).isPresent();
    HttpResponse<String> unknown = admin("/folders");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).startsWith("{\"error\":{\"message\":");
    HttpResponse<String> missing = admin("/resources/raw/upload/nothing/here");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("Resource not found - nothing/here");
  }

  @Test
  void wrongCloudAndWrongSecretAre401() throws Exception {
    HttpResponse<String> cloud =
        send(
            get("/v1_1/other/ping")
                .header("Authorization", basic("123456789012345:emulator-secret")));
    assertThat(cloud.statusCode()).isEqualTo(401);
    assertThat(cloud.body()).contains("Invalid cloud_name other");
    HttpResponse<String> secret =
        send(get("/v1_1/demo/ping").header("Authorization", basic("123456789012345:nope")));
    assertThat(secret.statusCode()).isEqualTo(401);
  }

  @Test
  void oversizedBodyIsRefusedFromContentLength() throws Exception {
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v1_1/demo/image/upload"))
            .header("Content-Type", "multipart/form-data; boundary=xyz")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5000]))
            .build();
    HttpResponse<String> r = send(post);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .isEqualTo("{\"error\":{\"message\":\"File size too large. Got 5000. Maximum is 1000.\"}}");
  }

  @Test
  void unknownApiRouteIs404Json() throws Exception {
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v1_1/demo/image/explode"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("public_id=x"))
            .build();
    HttpResponse<String> r = send(post);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).startsWith("{\"error\":{\"message\":\"Unsupported by the emulator");
  }

  @Test
  void remoteUrlsAreRefusedClearly() throws Exception {
    long now = clock.instant().getEpochSecond();
    String toSign = "timestamp=" + now;
    String signature = Signatures.hex("SHA-1", toSign + "emulator-secret");
    String form =
        "file=https%3A%2F%2Fexample.com%2Fa.jpg&api_key=123456789012345&timestamp="
            + now
            + "&signature="
            + signature;
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v1_1/demo/image/upload"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> r = send(post);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Remote URL uploads are not supported by the emulator");
  }

  private HttpResponse<String> admin(String path) throws Exception {
    return send(
        get("/v1_1/demo" + path).header("Authorization", basic("123456789012345:emulator-secret")));
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path)).GET();
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return send(b.build());
  }

  private static HttpResponse<String> send(HttpRequest r) throws Exception {
    return TestData.HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String credentials) {
    return "Basic "
        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
  }
}
