package io.docshift.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A whole instance: its admin listener answers the probes without a token, readiness follows the
 * real ledger and proxy listener, and the {@code autoRevert.*} keys seed the shared rules.
 */
class ProxyNodeHealthTest {
  private final Ledger ledger =
      Ledger.open(LedgerSettings.builder("jdbc:h2:mem:health-" + UUID.randomUUID()).build());
  private final DocShiftConfig config =
      DocShiftConfig.builder()
          .override("cloudinary.cloudName", "demo")
          .override("cloudinary.apiKey", "123456789012345")
          .override("cloudinary.apiSecret", "health-test-secret")
          .override("s3.bucket", "docs")
          // Never contacted: the probes do not touch the stores.
          .override("s3.endpoint", "http://127.0.0.1:9")
          .override("s3.accessKey", "health-test")
          .override("s3.secretKey", "health-test-secret")
          .override("proxy.port", "0")
          .override("admin.port", "0")
          .override("admin.token", "health-test-token")
          .override("repair.enabled", "false")
          .override("autoRevert.windowSeconds", "45")
          .override("autoRevert.consecutiveFailures", "7")
          .build();
  private final ProxyNode node = ProxyNode.start(config, ledger);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    node.close();
    ledger.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + node.adminPort() + path);
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyWhileTheLedgerAnswersAndNotReadyOnceItIsGone() throws Exception {
    assertThat(get("/livez").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");

    ledger.close();

    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    assertThat(get("/livez").statusCode()).isEqualTo(200);
  }

  @Test
  void theConfiguredAutoRevertRulesSeedTheSharedState() {
    assertThat(node.traffic().state().autoRevert())
        .isEqualTo(config.autoRevert())
        .extracting(r -> r.window(), r -> r.consecutiveFailures())
        .containsExactly(Duration.ofSeconds(45), 7);
  }
}
