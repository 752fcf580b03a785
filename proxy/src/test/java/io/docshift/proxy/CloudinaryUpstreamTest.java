package io.docshift.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.EmulatorConfig;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloudinary reached on the proxy's own event loops ({@code UpstreamClient}): originals at weight 0
 * and pass-through share keep-alive connections; a Cloudinary that answers too late is a 504 as
 * before; one that breaks off mid-body cuts the client's connection, never presenting a truncated
 * body as complete; and no failure leaves an upstream connection behind. Real emulator; WireMock
 * only delays answers in front of it.
 */
class CloudinaryUpstreamTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final byte[] DOC = bytes(200_000);
  static WireMockServer slow;
  static ReadPathFixture fx;
  static ReadPathFixture slowFx;
  static StoredAsset doc;

  @BeforeAll
  static void start() throws Exception {
    fx = new ReadPathFixture(CLD.emulator(), S3.s3(), S3.s3().endpoint(), Map.of());
    doc = fx.seed("raw", "upload", "docs/upstream.bin", DOC);
    fx.seed("raw", "upload", "docs/slow-original.bin", DOC);
    slow = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    slow.start();
    slow.stubFor(
        any(anyUrl()).willReturn(aResponse().proxiedFrom(CLD.emulator().baseUrl().toString())));
    slow.stubFor(
        any(urlPathMatching(".*/slow-.*"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .proxiedFrom(CLD.emulator().baseUrl().toString())
                    .withFixedDelay(5_000)));
    slowFx =
        new ReadPathFixture(
            CLD.emulator(),
            S3.s3(),
            S3.s3().endpoint(),
            Map.of(
                "cloudinary.deliveryUrl",
                slow.baseUrl() + "/{cloudName}",
                "cloudinary.requestTimeoutMillis",
                "500"));
  }

  @AfterAll
  static void stop() {
    try {
      fx.close();
      slowFx.close();
    } finally {
      slow.stop();
    }
  }

  static byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  static void awaitOpenConnections(ReadPathFixture f, int atMost) {
    Eventually.holdsWithin(
        Duration.ofSeconds(2), () -> f.proxy.delivery().openConnections() <= atMost);
    assertThat(f.proxy.delivery().openConnections()).isLessThanOrEqualTo(atMost);
  }

  @Test
  void originalsAndPassThroughReuseKeepAliveConnections() throws Exception {
    fx.weight(0);
    long before = fx.proxy.delivery().connectionsOpened();
    StringBuilder pipelined = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      pipelined.append("GET /demo/raw/upload/v1/docs/upstream.bin HTTP/1.1\r\nHost: x\r\n\r\n");
      pipelined.append(
          "GET /demo/raw/upload/fl_attachment/v1/docs/upstream.bin HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    pipelined.append("GET /demo/raw/upload/v1/docs/upstream.bin HTTP/1.1\r\nHost: x\r\n");
    pipelined.append("Connection: close\r\n\r\n");
    byte[] answer = RawHttp.exchange(fx.proxy.port(), RawHttp.ascii(pipelined.toString()));
    List<RawHttp.Response> responses = RawHttp.parse(answer);
    assertThat(responses).hasSize(21);
    for (RawHttp.Response r : responses) {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.headers()).containsEntry("x-docshift-backend", "cloudinary");
      assertThat(r.body()).isEqualTo(DOC);
    }
    assertThat(responses.get(0).headers()).doesNotContainKey("x-emulator-transformation");
    assertThat(responses.get(1).headers()).containsKey("x-emulator-transformation");
    // One client connection is served on one event loop: its upstream calls, originals and
    // pass-through alike, take turns on (at most) one new keep-alive connection.
    assertThat(fx.proxy.delivery().connectionsOpened() - before).isLessThanOrEqualTo(1);
    int loops = 0;
    for (var loop : fx.proxy.eventLoopGroup()) {
      loops++;
    }
    awaitOpenConnections(fx, loops);
  }

  @Test
  void aCloudinaryThatAnswersTooLateIs504AsBefore() throws Exception {
    slowFx.weight(0);
    for (String path :
        new String[] {
          "/demo/raw/upload/v1/docs/slow-original.bin",
          "/demo/raw/upload/fl_attachment/v1/docs/slow-original.bin"
        }) {
      RawHttp.Response r =
          RawHttp.parse(
                  RawHttp.exchange(
                      slowFx.proxy.port(),
                      RawHttp.ascii(
                          "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")))
              .get(0);
      assertThat(r.status()).isEqualTo(504);
      assertThat(r.headers()).containsEntry("x-cld-error", "Upstream failure");
      assertThat(r.headers()).containsEntry("x-docshift-backend", "cloudinary");
    }
    // Timed-out calls close their connections instead of returning them to the pool.
    awaitOpenConnections(slowFx, 0);
    RawHttp.Response fast =
        RawHttp.parse(
                RawHttp.exchange(
                    slowFx.proxy.port(),
                    RawHttp.ascii(
                        "GET /demo/raw/upload/v1/docs/upstream.bin HTTP/1.1\r\nHost: x\r\n"
                            + "Connection: close\r\n\r\n")))
            .get(0);
    assertThat(fast.status()).isEqualTo(200);
    assertThat(fast.body()).isEqualTo(DOC);
  }

  @Test
  void aCloudinaryThatClosesMidBodyAbortsTheClientConnection(@TempDir Path data) throws Exception {
    CloudinaryEmulator dying =
        CloudinaryEmulator.start(
            EmulatorConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(data)
                .cloudName(CloudinaryEmulatorExtension.CLOUD_NAME)
                .apiKey(CloudinaryEmulatorExtension.API_KEY)
                .apiSecret(CloudinaryEmulatorExtension.API_SECRET)
                .build());
    int size = 48 * 1024 * 1024;
    boolean closed = false;
    try (ReadPathFixture f = new ReadPathFixture(dying, S3.s3(), S3.s3().endpoint(), Map.of())) {
      f.seed("raw", "upload", "docs/huge.bin", bytes(size));
      try (Socket original = request(f, "/demo/raw/upload/v1/docs/huge.bin");
          Socket relayed = request(f, "/demo/raw/upload/fl_attachment/v1/docs/huge.bin")) {
        long originalHead = startReading(original);
        long relayedHead = startReading(relayed);
        dying.close(); // both clients have stopped reading: the proxy stopped reading Cloudinary
        closed = true;
        assertThat(originalHead + drain(original.getInputStream())).isLessThan(size);
        assertThat(relayedHead + drain(relayed.getInputStream())).isLessThan(size);
      }
      awaitOpenConnections(f, 0);
    } finally {
      if (!closed) {
        dying.close();
      }
    }
  }

  private static Socket request(ReadPathFixture f, String path) throws Exception {
    Socket socket = RawHttp.get(f.proxy.port(), path, 64 * 1024);
    socket.setSoTimeout(20_000);
    return socket;
  }

  /** Reads the headers and the first 64 KiB of body; returns the body bytes read. */
  private static long startReading(Socket socket) throws Exception {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      head.write(in.read());
    }
    assertThat(head.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
    return in.readNBytes(64 * 1024).length;
  }

  /** Reads until the proxy closes the connection (an aborted body ends in EOF, not a timeout). */
  private static long drain(InputStream in) throws Exception {
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) != -1) {
      total += n;
    }
    return total;
  }
}
