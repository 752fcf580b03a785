package io.docshift.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.docshift.app.CliHarness;
import io.docshift.app.telemetry.DatadogSeries;
import io.docshift.app.telemetry.MetricCatalogue;
import io.docshift.app.telemetry.MetricReferences;
import io.docshift.app.telemetry.PrometheusText;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.LogCanary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics end to end: a sandbox posting to a stand-in Datadog (WireMock) serves reads from
 * Cloudinary, is backfilled, serves from S3, loses S3 (fallbacks, auto-revert). Then every metric
 * that {@code conf/datadog} queries was posted, every {@code docs/metrics.md} entry exists (in
 * {@code /metrics}, which parses strictly, and in the posts), the exercised ones moved, and the
 * Datadog API key went only into the {@code DD-API-KEY} header: never into a URL, a log line, a
 * written config or {@code docshift status}.
 */
class ObservabilitySandboxTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String KEY =
      "ddkey" + HexFormat.of().formatHex(longBytes(ThreadLocalRandom.current().nextLong()));

  @TempDir Path dir;
  private WireMockServer datadog;
  private final List<String> cliOutput = new ArrayList<>();

  @BeforeEach
  void startDatadog() {
    datadog = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    datadog.start();
    DatadogSeries.stub(datadog);
  }

  @AfterEach
  void stopDatadog() {
    datadog.stop();
  }

  @Test
  void everyDashboardAndMonitorMetricIsPostedAndTheCatalogueExists() throws Exception {
    String scrape;
    List<ILoggingEvent> access;
    String logText;
    try (LogCanary logs = LogCanary.start("io.micrometer", "io.docshift")) {
      try (SandboxRunner sandbox = SandboxRunner.start(dir, null, overrides(), line -> {})) {
        scrape = driveTraffic(sandbox);
      } // closing posts the last Datadog step
      access =
          logs.events().stream()
              .filter(e -> e.getLoggerName().equals("io.docshift.access"))
              .toList();
      logText = logs.text();
    }
    Files.writeString(target("scrape.txt"), scrape);
    DatadogSeries posted = DatadogSeries.received(datadog);
    Files.writeString(
        target("datadog-series.txt"), String.join("\n", posted.tagSets().toString().split("], ")));

    Map<String, PrometheusText.Family> families = PrometheusText.parse(scrape);
    assertDashboardsAndMonitorsHaveData(posted);
    assertCatalogueExists(families, posted);
    assertExercisedMetricsMoved(posted, families);
    assertKeyOnlyInHeaders(posted, logText);
    assertThat(access)
        .anySatisfy(
            e ->
                assertThat(LogCanary.render(e))
                    .contains("request_id=obs-test-1", "backend=s3", "outcome=success"));
  }

  private Map<String, String> overrides() {
    Map<String, String> overrides = new HashMap<>(CliHarness.ephemeralSandbox(6));
    overrides.put("datadog.apiKey", KEY);
    overrides.put("datadog.uri", datadog.baseUrl());
    // Long enough that no step's counts are lost to a late rollover on a busy machine; closing
    // posts the last, partial step.
    overrides.put("datadog.stepSeconds", "5");
    overrides.put("datadog.tags", "service:docshift,env:test");
    overrides.put("metrics.ledgerPollMillis", "1000");
    return overrides;
  }

  /** Reads from Cloudinary, a backfill, reads from S3, then S3 fails; returns the last scrape. */
  private String driveTraffic(SandboxRunner sandbox) throws Exception {
    String conf = sandbox.configFile().toString();
    assertThat(Files.readString(sandbox.configFile())).doesNotContain(KEY);
    URI doc = proxyUrl(sandbox);
    for (int i = 0; i < 3; i++) {
      assertThat(backend(get(doc, "GET"))).isEqualTo("cloudinary");
    }
    assertThat(get(doc, "HEAD").statusCode()).isEqualTo(200);
    assertThat(cli("backfill", "--config", conf, "--set", "datadog.apiKey=" + KEY)).isZero();
    assertThat(
            cli("traffic", "set", "--config", conf, "--s3-read-percent", "100", "--reason", "ramp"))
        .isZero();
    awaitBackend(doc, "s3");
    HttpResponse<byte[]> traced =
        HTTP.send(
            HttpRequest.newBuilder(doc).header("X-Request-Id", "obs-test-1").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(traced.headers().firstValue("X-Request-Id")).hasValue("obs-test-1");
    assertThat(backend(traced)).isEqualTo("s3");
    sandbox.embeddedS3().close(); // S3 fails: fallbacks, then auto-revert
    for (int i = 0; i < 20; i++) {
      assertThat(get(doc, "GET").statusCode()).isEqualTo(200);
    }
    assertThat(cli("status", "--config", conf, "--set", "datadog.apiKey=" + KEY)).isZero();
    System.gc(); // so the GC meters (registered on the first collection) exist
    // The fallbacks queued one repair for the document; the ledger poller sees both.
    return awaitScrape(
        sandbox,
        "docshift_ledger_documents{state=\"verified\"} 6.0",
        "docshift_repair_outbox_depth 1.0");
  }

  private void assertDashboardsAndMonitorsHaveData(DatadogSeries posted) throws Exception {
    Set<String> referenced = new TreeSet<>();
    for (String query : MetricReferences.queries()) {
      Set<String> metrics = MetricReferences.metrics(query);
      assertThat(metrics).as("metrics in query %s", query).isNotEmpty();
      referenced.addAll(metrics);
    }
    assertThat(posted.names()).as("posted to Datadog").containsAll(referenced);
    Set<String> catalogued = new TreeSet<>();
    MetricCatalogue.entries().forEach(e -> catalogued.addAll(e.datadog()));
    assertThat(catalogued).as("Datadog series in docs/metrics.md").containsAll(referenced);
  }

  private void assertCatalogueExists(
      Map<String, PrometheusText.Family> families, DatadogSeries posted) throws Exception {
    List<MetricCatalogue.Entry> entries = MetricCatalogue.entries();
    assertThat(entries).hasSizeGreaterThan(30);
    Set<String> samples = new TreeSet<>();
    families.values().forEach(f -> f.samples().forEach(s -> samples.add(s.name())));
    for (MetricCatalogue.Entry entry : entries) {
      assertThat(posted.names())
          .as("Datadog series of %s", entry.meter())
          .containsAll(entry.datadog());
      if (!entry.from().equals("backfill")) {
        assertThat(samples)
            .as("Prometheus samples of %s", entry.meter())
            .containsAll(entry.prometheus());
      }
    }
  }

  private void assertExercisedMetricsMoved(
      DatadogSeries posted, Map<String, PrometheusText.Family> families) {
    assertThat(
            posted.sum("docshift.requests.count", "operation:get", "backend:s3", "outcome:success"))
        .isPositive();
    assertThat(
            posted.sum(
                "docshift.requests.count",
                "operation:get",
                "backend:cloudinary",
                "outcome:success"))
        .isPositive();
    assertThat(posted.sum("docshift.requests.count", "operation:head", "backend:cloudinary"))
        .isPositive();
    assertThat(posted.sum("docshift.request.latency.percentile", "backend:s3", "phi:0.99"))
        .isPositive();
    assertThat(posted.sum("docshift.read.fallbacks")).isPositive();
    assertThat(posted.sum("docshift.autorevert.trips", "dry_run:false")).isPositive();
    assertThat(posted.sum("docshift.autorevert.tripped")).isPositive();
    assertThat(posted.sum("docshift.backfill.documents", "result:copied")).isEqualTo(6);
    assertThat(posted.sum("docshift.backfill.bytes")).isPositive();
    assertThat(posted.sum("docshift.backfill.admin.calls", "outcome:ok")).isPositive();
    assertThat(
            value(
                families,
                "docshift_request_latency_seconds",
                "docshift_request_latency_seconds_count",
                "backend",
                "s3"))
        .isPositive();
    assertThat(
            value(
                families,
                "docshift_migration_progress_percent",
                "docshift_migration_progress_percent"))
        .isEqualTo(100.0);
  }

  private static double value(
      Map<String, PrometheusText.Family> families, String family, String sample, String... labels) {
    return families.get(family).samples().stream()
        .filter(s -> s.name().equals(sample))
        .filter(s -> matches(s.labels(), labels))
        .mapToDouble(PrometheusText.Sample::value)
        .sum();
  }

  private static boolean matches(Map<String, String> labels, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }

  private void assertKeyOnlyInHeaders(DatadogSeries posted, String logText) {
    assertThat(posted.requests()).isNotEmpty();
    assertThat(posted.requests())
        .allSatisfy(
            r -> {
              assertThat(r.getHeader("DD-API-KEY")).isEqualTo(KEY);
              assertThat(r.getUrl()).doesNotContain(KEY).doesNotContain("api_key");
            });
    assertThat(posted.points()).allSatisfy(p -> assertThat(p.host()).isNotBlank());
    assertThat(posted.points())
        .allSatisfy(p -> assertThat(p.tags()).contains("service:docshift", "env:test"));
    assertThat(logText).contains("posting to Datadog").doesNotContain(KEY);
    assertThat(cliOutput).isNotEmpty().allSatisfy(out -> assertThat(out).doesNotContain(KEY));
    assertThat(String.join("\n", cliOutput)).contains("Datadog at " + datadog.baseUrl());
  }

  private String awaitScrape(SandboxRunner sandbox, String... expected) throws Exception {
    String scrape = "";
    for (int i = 0; i < 100 && !containsAll(scrape, expected); i++) { // bounded: 10 s at most
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(sandbox.manifest().adminUrl() + "/metrics"))
                  .header(
                      "Authorization", "Bearer " + sandbox.manifest().credentials().adminToken())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      scrape = response.body();
      if (!containsAll(scrape, expected)) {
        Thread.sleep(100);
      }
    }
    assertThat(scrape).contains(expected);
    return scrape;
  }

  private static boolean containsAll(String text, String... parts) {
    for (String part : parts) {
      if (!text.contains(part)) {
        return false;
      }
    }
    return true;
  }

  private int cli(String... args) {
    CliHarness cli = new CliHarness();
    int code = cli.run(args);
    cliOutput.add(cli.out() + cli.err());
    assertThat(cli.err()).as("stderr of %s", args[0]).doesNotContain("Exception");
    return code;
  }

  private static URI proxyUrl(SandboxRunner sandbox) {
    URI emulator = URI.create(sandbox.seeded().exampleUrl());
    return URI.create(sandbox.manifest().proxyUrl() + emulator.getRawPath());
  }

  private static void awaitBackend(URI doc, String expected) throws Exception {
    Eventually.until(
        Duration.ofSeconds(5),
        () -> backend(get(doc, "GET")),
        expected::equals,
        expected + " serving " + doc);
  }

  private static HttpResponse<byte[]> get(URI uri, String method) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String backend(HttpResponse<?> response) {
    return response.headers().firstValue("X-DocShift-Backend").orElse("");
  }

  private static Path target(String name) throws Exception {
    Path dir = Path.of("target", "observability");
    Files.createDirectories(dir);
    return dir.resolve(name);
  }

  private static byte[] longBytes(long value) {
    return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }
}
