package io.docshift.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.app.CliHarness;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-revert: a sandbox serving from S3 at weight 100 loses S3 under a bounded read load; every
 * client request still succeeds (fallback), auto-revert trips and sends reads back to Cloudinary,
 * the audit says why, and resume after S3 returns restores weight 100.
 */
class AutoRevertSandboxTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LOAD = 40;

  @TempDir Path dir;

  @Test
  void s3FailingUnderLoadTripsAutoRevertWithoutClientErrorsAndResumeRestoresS3() throws Exception {
    Map<String, String> ports = CliHarness.ephemeralSandbox(6);
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, ports, line -> {})) {
      String conf = sandbox.configFile().toString();
      assertThat(cli("backfill", "--config", conf)).isZero();
      assertThat(
              cli(
                  "traffic",
                  "set",
                  "--config",
                  conf,
                  "--s3-read-percent",
                  "100",
                  "--reason",
                  "ramp to S3"))
          .isZero();
      URI doc = proxyUrl(sandbox);
      awaitBackend(doc, "s3");

      int s3Port = sandbox.embeddedS3().port();
      sandbox.embeddedS3().close(); // S3 goes away behind DocShift's back
      for (int i = 0; i < LOAD; i++) {
        HttpResponse<byte[]> response = get(doc);
        assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
      }
      JsonNode traffic = admin(sandbox, "/admin/traffic");
      assertThat(traffic.at("/autoRevert/tripped").asBoolean()).isTrue();
      assertThat(traffic.at("/s3ReadPercent").asInt()).isZero();
      assertThat(traffic.at("/autoRevert/reason").asText()).contains("S3 failures in a row");
      assertThat(admin(sandbox, "/admin/audit").toString()).contains("traffic.auto-revert");
      assertThat(backend(get(doc))).isEqualTo("cloudinary");
      CliHarness status = new CliHarness();
      assertThat(status.run("status", "--config", conf)).isZero();
      assertThat(status.out()).contains("S3 read weight 0 %", "AUTO-REVERTED: ");

      try (EmbeddedS3 back = restartS3(sandbox, s3Port)) {
        assertThat(back.port()).isEqualTo(s3Port);
        assertThat(cli("traffic", "resume", "--config", conf, "--reason", "S3 is back")).isZero();
        assertThat(admin(sandbox, "/admin/traffic").at("/s3ReadPercent").asInt()).isEqualTo(100);
        awaitBackend(doc, "s3");
      }
    }
  }

  private static int cli(String... args) {
    CliHarness cli = new CliHarness();
    int code = cli.run(args);
    assertThat(cli.err()).as("stderr of %s", String.join(" ", args)).doesNotContain("Exception");
    return code;
  }

  /** A seeded public document, addressed through the DocShift proxy. */
  private static URI proxyUrl(SandboxRunner sandbox) {
    URI emulator = URI.create(sandbox.seeded().exampleUrl());
    return URI.create(sandbox.manifest().proxyUrl() + emulator.getRawPath());
  }

  private static void awaitBackend(URI doc, String expected) throws Exception {
    Eventually.until(
        Duration.ofSeconds(5),
        () -> backend(get(doc)),
        expected::equals,
        expected + " serving " + doc);
  }

  private static EmbeddedS3 restartS3(SandboxRunner sandbox, int port) {
    SandboxManifest m = sandbox.manifest();
    return EmbeddedS3.start(
        m.dataDir().resolve("s3"),
        SandboxRunner.HOST,
        port,
        m.s3Bucket(),
        m.credentials().s3AccessKey(),
        m.credentials().s3SecretKey());
  }

  private static HttpResponse<byte[]> get(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String backend(HttpResponse<?> response) {
    return response.headers().firstValue("X-DocShift-Backend").orElse("");
  }

  private static JsonNode admin(SandboxRunner sandbox, String path) throws Exception {
    SandboxManifest m = sandbox.manifest();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(m.adminUrl() + path))
            .header("Authorization", "Bearer " + m.credentials().adminToken())
            .build();
    return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }
}
