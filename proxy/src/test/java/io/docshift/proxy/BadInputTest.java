package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.sandbox.emulator.StoredAsset;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and malformed requests over a raw socket: exact statuses, never forwarded to a store. */
class BadInputTest {
  @RegisterExtension
  static final ProxyExtension PROXY =
      ProxyExtension.overSandbox(
          Map.of(
              "proxy.maxRequestLineBytes", "1024",
              "proxy.maxHeaderBytes", "2048",
              "proxy.headerReadTimeoutMillis", "300"));

  static StoredAsset small;
  static StoredAsset other;

  @BeforeAll
  static void seed() throws Exception {
    small = PROXY.fx().seed("raw", "upload", "docs/small.txt", RawHttp.ascii("first document"));
    other =
        PROXY
            .fx()
            .seed("raw", "upload", "docs/other.txt", RawHttp.ascii("the second, longer document"));
  }

  static RawHttp.Response send(String request) throws IOException {
    List<RawHttp.Response> responses =
        RawHttp.parse(RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(request)));
    assertThat(responses).hasSize(1);
    return responses.get(0);
  }

  static double storeRequests() {
    return PROXY.fx().registry.find(MicrometerMetricsRecorder.REQUESTS).timers().stream()
        .filter(t -> !"none".equals(t.getId().getTag("backend")))
        .mapToLong(t -> t.count())
        .sum();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/demo/raw/upload/docs/../small.txt",
        "/demo/raw/upload/docs/%2e%2e/small.txt",
        "/demo/raw/upload/docs%2fsmall.txt",
        "/demo/raw/upload/docs\\small.txt",
        "/demo/raw/upload/docs/%00small.txt",
        "/demo/raw/upload//docs/small.txt",
        "/demo/raw/upload/docs/%zz.txt"
      })
  void traversalAndMalformedPathsAre400(String path) throws Exception {
    double before = storeRequests();
    RawHttp.Response r = send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(storeRequests()).isEqualTo(before);
  }

  @Test
  void anOversizedRequestLineIs414() throws Exception {
    RawHttp.Response r =
        send("GET /demo/raw/upload/" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(414);
  }

  @Test
  void oversizedHeadersAre431() throws Exception {
    RawHttp.Response r =
        send(
            "GET /demo/raw/upload/docs/small.txt HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "b".repeat(3000)
                + "\r\n\r\n");
    assertThat(r.status()).isEqualTo(431);
  }

  @Test
  void smugglingShapesAre400() throws Exception {
    String path = "GET /demo/raw/upload/docs/small.txt HTTP/1.1\r\nHost: x\r\n";
    assertThat(
            send(path + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                .status())
        .isEqualTo(400);
    assertThat(send(path + "Content-Length: 0\r\nContent-Length: 0\r\n\r\n").status())
        .isEqualTo(400);
    assertThat(send(path + "X-Folded: one\r\n two\r\n\r\n").status()).isEqualTo(400);
    assertThat(send(path + "X-A: b\r\n\tX-Tab: c\r\n\r\n").status()).isEqualTo(400);
  }

  @Test
  void otherMethodsAre405() throws Exception {
    RawHttp.Response r =
        send(
            "DELETE /demo/raw/upload/docs/small.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.headers()).containsEntry("allow", "GET, HEAD");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
    String a = "GET /demo/raw/upload/docs/other.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    String b = "HEAD /demo/raw/upload/docs/small.txt HTTP/1.1\r\nHost: x\r\n\r\n";
    String c =
        "GET /demo/raw/upload/docs/small.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    byte[] raw = RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(a + b + a + c));
    List<RawHttp.Response> responses = parseWithHead(raw);
    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 200, 200, 200);
    assertThat(new String(responses.get(0).body())).isEqualTo("the second, longer document");
    assertThat(responses.get(1).headers()).containsEntry("content-length", "14");
    assertThat(new String(responses.get(2).body())).isEqualTo("the second, longer document");
    assertThat(new String(responses.get(3).body())).isEqualTo("first document");
  }

  /** The second response answers a HEAD: it has a Content-Length but no body. */
  private static List<RawHttp.Response> parseWithHead(byte[] raw) throws IOException {
    String text = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
    int first = text.indexOf("HTTP/1.1", 1);
    int second = text.indexOf("HTTP/1.1", first + 1);
    List<RawHttp.Response> head = RawHttp.parse(java.util.Arrays.copyOfRange(raw, first, second));
    List<RawHttp.Response> all =
        new java.util.ArrayList<>(RawHttp.parse(java.util.Arrays.copyOf(raw, first)));
    all.add(new RawHttp.Response(head.get(0).status(), head.get(0).headers(), new byte[0]));
    all.addAll(RawHttp.parse(java.util.Arrays.copyOfRange(raw, second, raw.length)));
    return all;
  }

  @Test
  void aSlowLorisIsDisconnectedByTheHeaderReadTimeout() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", PROXY.fx().proxy.port())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(RawHttp.ascii("GET /demo/raw/upload/docs/small.txt HTTP/1.1\r\nHost: x\r\n"));
      socket.getOutputStream().flush();
      // No blank line ever comes: the proxy must close well before the 10 s read timeout.
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }
}
