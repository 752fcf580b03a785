package io.docshift.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.SandboxConfigKeys;
import io.docshift.testkit.SettableTrafficState;
import io.docshift.testkit.ShadowCounts;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.revert.S3Evidence;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shadow reads never change what a client gets, nor when: the shadow side (WireMock in front of the
 * real S3Proxy or emulator) is made very slow or failing, and every client response through the
 * proxy is still the primary's status and bytes, complete long before the shadow delay. Each shadow
 * is still counted: an error (timeout, 5xx), or shed when the concurrency limit is reached.
 */
class ShadowPathTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final byte[] PDF = ReadPathTest.pdf(400_000);
  static final int SHADOW_DELAY_MILLIS = 8_000;
  static final Duration WELL_BEFORE_THE_DELAY = Duration.ofMillis(5_000);
  static WireMockServer faults;

  @BeforeAll
  static void start() {
    // Host preserved so S3Proxy accepts the SigV4 signature made for WireMock's address.
    faults =
        new WireMockServer(WireMockConfiguration.options().dynamicPort().preserveHostHeader(true));
    faults.start();
    faults.stubFor(
        get(urlPathMatching(".*/slow-.*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .proxiedFrom(S3.s3().endpoint().toString())
                    .withFixedDelay(SHADOW_DELAY_MILLIS)));
    faults.stubFor(
        get(urlPathMatching(".*/failing-.*"))
            .atPriority(1)
            .willReturn(
                aResponse().withStatus(500).withBody("<Error><Code>InternalError</Code></Error>")));
    faults.stubFor(
        any(urlPathMatching("/" + CloudinaryEmulatorExtension.CLOUD_NAME + "/.*"))
            .atPriority(2)
            .willReturn(
                aResponse()
                    .proxiedFrom(CLD.emulator().baseUrl().toString())
                    .withFixedDelay(SHADOW_DELAY_MILLIS)));
    faults.stubFor(
        any(urlPathMatching(".*"))
            .atPriority(3)
            .willReturn(aResponse().proxiedFrom(S3.s3().endpoint().toString())));
  }

  @AfterAll
  static void stop() {
    faults.stop();
  }

  @Test
  void aSlowS3ShadowNeitherDelaysNorChangesCloudinaryServedResponses() throws Exception {
    try (Node node = new Node(s3ViaFaults(), Map.of("shadow.timeoutMillis", "1500"))) {
      StoredAsset a = node.copied("docs/slow-1.pdf");

      Timed r = node.fetch(a);

      assertThat(r.response.statusCode()).isEqualTo(200);
      assertThat(r.response.body()).isEqualTo(PDF);
      assertThat(r.response.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
      assertThat(r.elapsed).isLessThan(WELL_BEFORE_THE_DELAY);
      node.counts.await("error/none", 1); // the shadow timed out
    }
  }

  @Test
  void aFailingS3ShadowDoesNotChangeTheResponse() throws Exception {
    try (Node node = new Node(s3ViaFaults(), Map.of())) {
      StoredAsset a = node.copied("docs/failing-1.pdf");
      StoredAsset healthy = node.copied("docs/through-wiremock-1.pdf");

      Timed r = node.fetch(a);
      Timed control = node.fetch(healthy);

      assertThat(r.response.statusCode()).isEqualTo(200);
      assertThat(r.response.body()).isEqualTo(PDF);
      assertThat(control.response.body()).isEqualTo(PDF);
      node.counts.await("error/none", 1);
      // The same path through WireMock works when WireMock injects nothing: the error is the 500.
      node.counts.await("matched/none", 1);
    }
  }

  @Test
  void aSlowCloudinaryShadowNeitherDelaysNorChangesS3ServedResponses() throws Exception {
    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put("s3.endpoint", S3.s3().endpoint().toString());
    endpoints.put("cloudinary.deliveryUrl", faults.baseUrl() + "/{cloudName}");
    try (Node node = new Node(endpoints, Map.of("shadow.timeoutMillis", "1500"))) {
      node.traffic.update(s -> s.withS3ReadPercent(100));
      StoredAsset a = node.copied("docs/s3-served-1.pdf");

      Timed r = node.fetch(a);

      assertThat(r.response.statusCode()).isEqualTo(200);
      assertThat(r.response.body()).isEqualTo(PDF);
      assertThat(r.response.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
      assertThat(r.elapsed).isLessThan(WELL_BEFORE_THE_DELAY);
      node.counts.await("error/none", 1);
    }
  }

  @Test
  void shadowsBeyondTheConcurrencyLimitAreShedNotQueued() throws Exception {
    try (Node node =
        new Node(
            s3ViaFaults(), Map.of("shadow.maxConcurrent", "1", "shadow.timeoutMillis", "30000"))) {
      StoredAsset first = node.copied("docs/slow-shed-1.pdf");
      StoredAsset second = node.copied("docs/slow-shed-2.pdf");

      Timed one = node.fetch(first); // its shadow now waits on the slow S3 for seconds
      Timed two = node.fetch(second);

      assertThat(one.response.statusCode()).isEqualTo(200);
      assertThat(two.response.statusCode()).isEqualTo(200);
      assertThat(two.response.body()).isEqualTo(PDF);
      assertThat(two.elapsed).isLessThan(WELL_BEFORE_THE_DELAY);
      node.counts.await("shed/none", 1);
    }
  }

  @Test
  void transformedUrlsAndHeadsAreNeverShadowed() throws Exception {
    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put("s3.endpoint", S3.s3().endpoint().toString());
    endpoints.put("cloudinary.deliveryUrl", CLD.emulator().baseUrl() + "/{cloudName}");
    try (Node node = new Node(endpoints, Map.of())) {
      StoredAsset a = node.copied("docs/plain-1.pdf");
      EmulatedAssets.seed(
          CLD.emulator(), "image", "upload", "scans/shadow-badge", ReadPathTest.png());
      URI base = URI.create("http://127.0.0.1:" + node.proxy.port());

      HttpResponse<byte[]> transformed =
          send(base.resolve("/demo/image/upload/w_100,h_100/v1/scans/shadow-badge.png"), "GET");
      HttpResponse<byte[]> head = send(base.resolve("/demo/raw/upload/v1/" + a.publicId()), "HEAD");
      Timed whole = node.fetch(a);

      assertThat(transformed.statusCode()).isEqualTo(200);
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(whole.response.body()).isEqualTo(PDF);
      node.counts.await("matched/none", 1);
      assertThat(node.counts.snapshot()).containsExactlyEntriesOf(Map.of("matched/none", 1));
    }
  }

  private static HttpResponse<byte[]> send(URI url, String method) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(url).method(method, HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static Map<String, String> s3ViaFaults() {
    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put("s3.endpoint", faults.baseUrl());
    endpoints.put("cloudinary.deliveryUrl", CLD.emulator().baseUrl() + "/{cloudName}");
    return endpoints;
  }

  record Timed(HttpResponse<byte[]> response, Duration elapsed) {}

  /** One proxy (the real {@link ProxyRuntime}) with shadow reads of every document. */
  static final class Node implements AutoCloseable {
    final ShadowCounts counts = new ShadowCounts();
    final SettableTrafficState traffic =
        new SettableTrafficState(new TrafficState(0, WriteMode.CLOUDINARY_ONLY, 100));
    final DocShiftConfig config;
    final Ledger ledger;
    final S3DocumentStore writer;
    final ProxyRuntime proxy;

    Node(Map<String, String> endpoints, Map<String, String> extra) {
      // The endpoints given replace the embedded S3 and the emulator's delivery URL.
      Map<String, String> keys = SandboxConfigKeys.of(CLD.emulator(), S3.s3().endpoint(), "shadow");
      keys.put("proxy.port", "0");
      keys.putAll(endpoints);
      keys.putAll(extra);
      this.config = DocShiftConfig.builder().overrides(keys).build();
      this.ledger = Ledger.open(LedgerSettings.builder(config).build());
      DocShiftConfig direct =
          DocShiftConfig.builder()
              .overrides(config.asProperties())
              .override("s3.endpoint", S3.s3().endpoint().toString())
              .build();
      this.writer = S3DocumentStore.create(StoreSettings.s3(direct.s3()).build());
      this.proxy = ProxyRuntime.start(config, ledger, traffic, counts, S3Evidence.NONE);
    }

    /** Seeds a raw PDF and copies it into S3 (straight to S3Proxy), ledger verified. */
    StoredAsset copied(String publicId) throws Exception {
      StoredAsset a = EmulatedAssets.seedRaw(CLD.emulator(), publicId, PDF);
      EmulatedAssets.copyVerified(writer, ledger, a, PDF, "application/pdf");
      return a;
    }

    Timed fetch(StoredAsset a) throws Exception {
      URI url =
          URI.create("http://127.0.0.1:" + proxy.port() + "/demo/raw/upload/v1/" + a.publicId());
      long start = System.nanoTime();
      HttpResponse<byte[]> response =
          HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public void close() {
      try {
        proxy.close();
      } finally {
        writer.close();
        ledger.close();
      }
    }
  }
}
