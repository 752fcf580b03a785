package io.docshift.app.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.metrics.ShadowOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.testkit.LogCanary;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Datadog registry against a WireMock standing in for Datadog's API: what is posted (names,
 * types, tags, host), that the key travels only in {@code DD-API-KEY}, and that neither a refused
 * post nor an unreachable API puts the key in a log line.
 */
class DatadogPublishingTest {
  private static final String KEY = "ddkey-" + UUID.randomUUID().toString().replace("-", "");

  private WireMockServer datadog;

  @BeforeEach
  void start() {
    datadog = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    datadog.start();
    DatadogSeries.stub(datadog);
  }

  @AfterEach
  void stop() {
    datadog.stop();
  }

  @Test
  void closingPostsTheLastStepWithTheKeyInTheHeaderOnly() {
    try (LogCanary logs = LogCanary.start("io.micrometer")) {
      String scrape;
      try (Telemetry telemetry = Telemetry.start(config(datadog.baseUrl()))) {
        record(new MicrometerMetricsRecorder(telemetry.registry()));
        scrape = telemetry.scrape();
      }
      DatadogSeries posted = DatadogSeries.received(datadog);

      assertThat(posted.requests()).isNotEmpty().allSatisfy(this::onlyInHeader);
      assertThat(
              posted.sum(
                  "docshift.requests.count",
                  "operation:get",
                  "backend:s3",
                  "resource_type:raw",
                  "outcome:success"))
          .isEqualTo(2);
      assertThat(posted.points())
          .filteredOn(p -> p.metric().equals("docshift.requests.count"))
          .allSatisfy(p -> assertThat(p.type()).isEqualTo("count"));
      assertThat(posted.sum("docshift.requests.max", "operation:get", "backend:s3"))
          .as("timers are posted in milliseconds")
          .isEqualTo(30.0);
      assertThat(posted.sum("docshift.request.latency.percentile", "backend:s3", "phi:0.99"))
          .isGreaterThan(0);
      assertThat(posted.names())
          .contains("docshift.request.latency.count", "docshift.request.latency.max")
          .noneMatch(n -> n.endsWith(".histogram"));
      assertThat(posted.sum("docshift.read.fallbacks", "cause:s3_timeout", "statistic:count"))
          .isEqualTo(1);
      assertThat(posted.sum("docshift.shadow.comparisons", "outcome:mismatched", "rule:none"))
          .isEqualTo(1);
      assertThat(posted.points())
          .allSatisfy(
              p -> {
                assertThat(p.host()).isEqualTo("proxy-test");
                assertThat(p.tags()).contains("service:docshift", "env:ci", "host:proxy-test");
              });
      assertThat(scrape)
          .contains("docshift_request_latency_seconds_bucket")
          .doesNotContain("quantile=");
      PrometheusText.parse(scrape);
      assertThat(logs.text()).doesNotContain(KEY);
    }
  }

  @Test
  void aRefusedOrFailedPostIsLoggedWithoutTheKey() throws Exception {
    datadog.stubFor(
        WireMock.post(WireMock.urlPathEqualTo("/api/v1/series"))
            .willReturn(
                WireMock.aResponse().withStatus(403).withBody("{\"errors\":[\"Forbidden\"]}")));
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (LogCanary logs = LogCanary.start("io.micrometer")) {
      for (String uri : new String[] {datadog.baseUrl(), "http://127.0.0.1:" + closedPort}) {
        try (Telemetry telemetry = Telemetry.start(config(uri))) {
          record(new MicrometerMetricsRecorder(telemetry.registry()));
        }
      }
      assertThat(logs.text())
          .contains("failed to send metrics to datadog: {\"errors\":[\"Forbidden\"]}")
          .contains("java.net.ConnectException")
          .doesNotContain(KEY);
    }
    assertThat(DatadogSeries.received(datadog).requests()).allSatisfy(this::onlyInHeader);
  }

  @Test
  void withoutAKeyNothingIsPosted() {
    try (Telemetry telemetry =
        Telemetry.start(
            DocShiftConfig.builder().override("datadog.uri", datadog.baseUrl()).build())) {
      record(new MicrometerMetricsRecorder(telemetry.registry()));
      assertThat(telemetry.datadogEnabled()).isFalse();
      assertThat(telemetry.scrape()).contains("docshift_requests_seconds_count");
    }
    assertThat(datadog.getAllServeEvents()).isEmpty();
  }

  private void onlyInHeader(LoggedRequest request) {
    assertThat(request.getHeader("DD-API-KEY")).isEqualTo(KEY);
    assertThat(request.getUrl()).isEqualTo("/api/v1/series");
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
  }

  private static void record(MetricsRecorder metrics) {
    metrics.request(
        Operation.GET,
        Optional.of(Backend.S3),
        Optional.of(ResourceType.RAW),
        Outcome.SUCCESS,
        10_000_000);
    metrics.request(
        Operation.GET,
        Optional.of(Backend.S3),
        Optional.of(ResourceType.RAW),
        Outcome.SUCCESS,
        30_000_000);
    metrics.fallback(Outcome.S3_TIMEOUT);
    metrics.shadow(ShadowOutcome.MISMATCHED, "none");
  }

  private static DocShiftConfig config(String uri) {
    return DocShiftConfig.builder()
        .overrides(
            Map.of(
                "datadog.apiKey", KEY,
                "datadog.uri", uri,
                "datadog.stepSeconds", "60",
                "datadog.host", "proxy-test",
                "datadog.tags", "service:docshift,env:ci"))
        .build();
  }
}
