package io.docshift.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3 failures before the first byte are invisible to clients: WireMock stands where S3 is (5xx,
 * slow first byte, NoSuchKey), a closed port stands for an unreachable S3; the real S3Proxy holds
 * the copies the ledger marks verified. Every request must come back 200 from Cloudinary, counted
 * as a fallback, with the document queued for repair.
 */
class FallbackTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final byte[] PDF = ReadPathTest.pdf(50_000);
  static WireMockServer faults;
  static ReadPathFixture fx;

  @BeforeAll
  static void start() {
    faults = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    faults.start();
    String xml = "<?xml version=\"1.0\"?><Error><Code>%s</Code><Message>m</Message></Error>";
    faults.stubFor(
        get(urlPathMatching(".*/fault-500\\.pdf"))
            .willReturn(aResponse().withStatus(500).withBody(String.format(xml, "InternalError"))));
    faults.stubFor(
        get(urlPathMatching(".*/fault-503\\.pdf"))
            .willReturn(aResponse().withStatus(503).withBody(String.format(xml, "SlowDown"))));
    faults.stubFor(
        get(urlPathMatching(".*/fault-slow\\.pdf"))
            .willReturn(aResponse().withStatus(200).withBody(PDF).withFixedDelay(5_000)));
    faults.stubFor(
        get(urlPathMatching(".*/fault-missing\\.pdf"))
            .willReturn(aResponse().withStatus(404).withBody(String.format(xml, "NoSuchKey"))));
    faults.stubFor(
        head(urlPathMatching(".*/fault-500\\.pdf")).willReturn(aResponse().withStatus(500)));
    fx =
        new ReadPathFixture(
            CLD.emulator(),
            S3.s3(),
            URI.create(faults.baseUrl()),
            Map.of("proxy.s3FirstByteTimeoutMillis", "1000"));
    fx.weight(100);
    warmUp();
  }

  /** The S3 client's first call is slow (class loading); keep it out of the timing assertions. */
  private static void warmUp() {
    try {
      StoredAsset a = fx.seed("raw", "upload", "docs/warm/fault-missing.pdf", PDF);
      fx.copyToS3(a, PDF, "application/pdf");
      fetch(fx, "/demo/raw/upload/v1/docs/warm/fault-missing.pdf", "GET");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    fx.close();
    faults.stop();
  }

  static HttpResponse<byte[]> fetch(ReadPathFixture f, String path, String method)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(f.url(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void everyS3FailureKindIsServedByCloudinaryCountedAndQueuedForRepair() throws Exception {
    String[] kinds = {"fault-500", "fault-503", "fault-slow", "fault-missing"};
    double before = fx.fallbacks();
    double timeoutsBefore = timeouts(fx);
    for (String kind : kinds) {
      StoredAsset a = fx.seed("raw", "upload", "docs/" + kind + ".pdf", PDF);
      fx.copyToS3(a, PDF, "application/pdf");
      HttpResponse<byte[]> r = fetch(fx, "/demo/raw/upload/v1/docs/" + kind + ".pdf", "GET");
      assertThat(r.statusCode()).as(kind).isEqualTo(200);
      assertThat(r.body()).as(kind).isEqualTo(PDF);
      assertThat(r.headers().firstValue("X-DocShift-Backend")).as(kind).hasValue("cloudinary");
      assertThat(r.headers().firstValue("ETag")).hasValue("\"" + a.etag() + "\"");
    }
    assertThat(fx.fallbacks() - before).isEqualTo(kinds.length);
    // The slow one is a timeout; on a loaded machine another may be too, which is still a fallback.
    assertThat(timeouts(fx) - timeoutsBefore).isGreaterThanOrEqualTo(1);
    // Each document's own repair: counting the outbox's depth would also count the repairs of
    // other tests' fallbacks, whose enqueues run on the ledger executor after their answers.
    for (String kind : kinds) {
      LedgerKey key = new LedgerKey("demo", "raw", "upload", "docs/" + kind + ".pdf");
      Eventually.until(
          Duration.ofSeconds(10),
          () -> fx.ledger.outbox().queued(key, RepairOperation.PUT),
          "the put repair of " + kind);
    }
  }

  @Test
  void headFallsBackToo() throws Exception {
    StoredAsset a = fx.seed("raw", "upload", "docs/head/fault-500.pdf", PDF);
    fx.copyToS3(a, PDF, "application/pdf");
    HttpResponse<byte[]> r = fetch(fx, "/demo/raw/upload/v1/docs/head/fault-500.pdf", "HEAD");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
  }

  @Test
  void anUnreachableS3IsAConnectFailureServedByCloudinary() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (ReadPathFixture down =
        new ReadPathFixture(
            CLD.emulator(), S3.s3(), URI.create("http://127.0.0.1:" + closedPort), Map.of())) {
      down.weight(100);
      StoredAsset a = down.seed("raw", "upload", "docs/unreachable.pdf", PDF);
      down.copyToS3(a, PDF, "application/pdf");
      HttpResponse<byte[]> r = fetch(down, "/demo/raw/upload/v1/docs/unreachable.pdf", "GET");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(PDF);
      assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
      assertThat(
              down.registry
                  .find(MicrometerMetricsRecorder.FALLBACKS)
                  .tag("cause", "s3_connect")
                  .counter()
                  .count())
          .isEqualTo(1);
      awaitRepairs(down, 1);
    }
  }

  static double timeouts(ReadPathFixture f) {
    var counter =
        f.registry.find(MicrometerMetricsRecorder.FALLBACKS).tag("cause", "s3_timeout").counter();
    return counter == null ? 0 : counter.count();
  }

  /** The enqueue runs on the ledger executor; poll, bounded. */
  static void awaitRepairs(ReadPathFixture f, long expected) throws InterruptedException {
    Eventually.until(
        Duration.ofSeconds(10),
        () -> f.ledger.outbox().stats().depth(),
        depth -> depth >= expected,
        expected + " repair rows");
    assertThat(f.ledger.outbox().stats().depth()).isEqualTo(expected);
  }
}
