package io.docshift.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.app.CliHarness;
import io.docshift.sandbox.s3.EmbeddedS3;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Auto-revert: a sandbox serving from S3 at weight 100 loses S3 under a bounded read load; every
 * client request still succeeds (fallback), auto-revert trips and sends reads back to Cloudinary,
 * the audit says why, and resume after S3 returns restores weight 100.
 */
class AutoRevertSandboxTest {
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
      URI doc = SandboxCalls.proxyUrl(sandbox);
      SandboxCalls.awaitBackend(doc, "s3");

      int s3Port = sandbox.embeddedS3().port();
      sandbox.embeddedS3().close(); // S3 goes away behind DocShift's back
      for (int i = 0; i < LOAD; i++) {
        HttpResponse<byte[]> response = SandboxCalls.get(doc);
        assertThat(response.statusCode()).as("request %d", i).isEqualTo(200);
      }
      JsonNode traffic = SandboxCalls.admin(sandbox, "/admin/traffic");
      assertThat(traffic.at("/autoRevert/tripped").asBoolean()).isTrue();
      assertThat(traffic.at("/s3ReadPercent").asInt()).isZero();
      assertThat(traffic.at("/autoRevert/reason").asText()).contains("S3 failures in a row");
      assertThat(SandboxCalls.admin(sandbox, "/admin/audit").toString())
          .contains("traffic.auto-revert");
      assertThat(SandboxCalls.backend(SandboxCalls.get(doc))).isEqualTo("cloudinary");
      CliHarness status = new CliHarness();
      assertThat(status.run("status", "--config", conf)).isZero();
      assertThat(status.out()).contains("S3 read weight 0 %", "AUTO-REVERTED: ");

      try (EmbeddedS3 back = SandboxCalls.restartS3(sandbox, s3Port)) {
        assertThat(back.port()).isEqualTo(s3Port);
        assertThat(cli("traffic", "resume", "--config", conf, "--reason", "S3 is back")).isZero();
        assertThat(SandboxCalls.admin(sandbox, "/admin/traffic").at("/s3ReadPercent").asInt())
            .isEqualTo(100);
        SandboxCalls.awaitBackend(doc, "s3");
      }
    }
  }

  private static int cli(String... args) {
    CliHarness cli = new CliHarness();
    int code = cli.run(args);
    assertThat(cli.err()).as("stderr of %s", String.join(" ", args)).doesNotContain("Exception");
    return code;
  }
}
