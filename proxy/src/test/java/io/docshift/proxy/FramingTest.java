package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.testkit.Eventually;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request framing over a raw socket, as nginx-tests' {@code body_chunked.t} and HAProxy's
 * http-messaging tests try it: every malformed, ambiguous or oversized message gets nginx's status
 * and a close (never silence), no store is called for it, and nothing stays in the spool. Both
 * stores are a {@link StubBackend} that records every connection.
 */
@Timeout(60)
class FramingTest {
  private static final String UPLOAD = "POST /v1_1/demo/raw/upload HTTP/1.1\r\nHost: x\r\n";
  private static final String CHUNKED = UPLOAD + "Transfer-Encoding: chunked\r\n\r\n";
  private static final String GET = "GET /demo/raw/upload/docs/a.txt HTTP/1.1\r\nHost: x\r\n";
  private static final String LF_CHUNKED =
      "POST /v1_1/demo/raw/upload HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n";

  @RegisterExtension
  static final ProxyExtension PROXY =
      ProxyExtension.overStub(
          Map.of(
              "proxy.maxRequestLineBytes", "1024",
              "proxy.maxHeaderBytes", "4096",
              "proxy.maxHeaderCount", "20",
              "proxy.maxUploadBodyBytes", "1024"));

  @AfterEach
  void spoolIsEmpty() throws Exception {
    assertSpoolEmpty(PROXY.fx().proxy.spoolDirectory());
  }

  /** Polls (the call directory goes once the answer is decided) for an empty run directory. */
  static void assertSpoolEmpty(Path run) throws Exception {
    Eventually.until(
        Duration.ofSeconds(5), () -> list(run), List::isEmpty, "an empty spool in " + run);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  static Stream<Arguments> refused() {
    String big = "x".repeat(2048);
    return Stream.of(
        // Chunk lines
        Arguments.of("bare LF in chunk lines", CHUNKED + "5\nhello\n0\n\n", 400),
        Arguments.of("bare LF after chunk data", CHUNKED + "5\r\nhello\n0\r\n\r\n", 400),
        Arguments.of("bare LF after the last chunk", CHUNKED + "5\r\nhello\r\n0\n\r\n", 400),
        Arguments.of("chunk size not hex", CHUNKED + "zz\r\nhello\r\n0\r\n\r\n", 400),
        Arguments.of("chunk size empty", CHUNKED + "\r\nhello\r\n0\r\n\r\n", 400),
        Arguments.of("chunk size signed +", CHUNKED + "+5\r\nhello\r\n0\r\n\r\n", 400),
        Arguments.of("chunk size signed -", CHUNKED + "-5\r\nhello\r\n0\r\n\r\n", 400),
        Arguments.of("chunk size 0x", CHUNKED + "0x5\r\nhello\r\n0\r\n\r\n", 400),
        Arguments.of("space before chunk size", CHUNKED + " 5\r\nhello\r\n0\r\n\r\n", 400),
        Arguments.of("junk after chunk size", CHUNKED + "5 junk\r\nhello\r\n0\r\n\r\n", 400),
        Arguments.of("bare CR in extension", CHUNKED + "5;a\rb\r\nhello\r\n0\r\n\r\n", 400),
        Arguments.of("chunk size overflow", CHUNKED + "fffffffffffffffff1\r\nx\r\n0\r\n\r\n", 400),
        Arguments.of("64-bit chunk size", CHUNKED + "7fffffffffffffff\r\nx\r\n0\r\n\r\n", 400),
        Arguments.of("chunk longer than its size", CHUNKED + "5\r\nhelloXX\r\n0\r\n\r\n", 400),
        Arguments.of(
            "chunks over the body limit", CHUNKED + "800\r\n" + big + "\r\n0\r\n\r\n", 413),
        // Transfer-Encoding
        Arguments.of("chunked, identity", te("chunked, identity"), 501),
        Arguments.of("gzip, chunked", te("gzip, chunked"), 501),
        Arguments.of("xchunked", te("xchunked"), 501),
        Arguments.of("identity", te("identity"), 501),
        Arguments.of("chunked in quotes", te("\"chunked\""), 501),
        Arguments.of(
            "two Transfer-Encoding fields",
            UPLOAD + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "space before the colon", UPLOAD + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400),
        Arguments.of(
            "space before the name", UPLOAD + " Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Arguments.of(
            "tab before the name", UPLOAD + "\tTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Arguments.of(
            "vertical tab in the value",
            UPLOAD + "Transfer-Encoding: \u000bchunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "Transfer-Encoding in HTTP/1.0",
            "POST /v1_1/demo/raw/upload HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\n",
            400),
        // Content-Length
        Arguments.of(
            "Content-Length with Transfer-Encoding",
            UPLOAD + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "duplicate Content-Length",
            UPLOAD + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
            400),
        Arguments.of("Content-Length list", UPLOAD + "Content-Length: 3, 3\r\n\r\nabc", 400),
        Arguments.of("Content-Length +", UPLOAD + "Content-Length: +3\r\n\r\nabc", 400),
        Arguments.of("Content-Length -", UPLOAD + "Content-Length: -3\r\n\r\nabc", 400),
        Arguments.of("Content-Length hex", UPLOAD + "Content-Length: 0x3\r\n\r\nabc", 400),
        Arguments.of(
            "Content-Length overflow",
            UPLOAD + "Content-Length: 99999999999999999999\r\n\r\n",
            400),
        // Sizes
        Arguments.of(
            "request line too long",
            "GET /demo/raw/upload/" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            414),
        Arguments.of("header section too large", GET + "X-Big: " + big + big + "\r\n\r\n", 431),
        Arguments.of("too many header fields", GET + "X-A: b\r\n".repeat(20) + "\r\n", 431),
        // Line ends in the head
        Arguments.of("bare CR in the head", GET + "X-A: b\rX-B: c\r\n\r\n", 400),
        Arguments.of("LF-only head, bare LF in chunk lines", LF_CHUNKED + "5\nhello\n0\n\n", 400),
        // The trailer section keeps CRLF only, even though the head may use LF
        Arguments.of("bare LF ending the trailer section", CHUNKED + "5\r\nhello\r\n0\r\n\n", 400),
        Arguments.of(
            "bare LF after a trailer field", CHUNKED + "5\r\nhello\r\n0\r\nX-T: y\n\r\n", 400),
        Arguments.of(
            "bare LF in the trailer, then a pipelined GET",
            CHUNKED + "5\r\nhello\r\n0\r\n\n" + GET + "\r\n",
            400));
  }

  private static String te(String value) {
    return UPLOAD + "Transfer-Encoding: " + value + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedWithNginxsStatusThenClosedWithoutCallingAStore(
      String name, String request, int status) throws Exception {
    int before = PROXY.backend().connections();

    List<RawHttp.Response> responses =
        RawHttp.parse(RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(request)));

    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(status);
    assertThat(responses.get(0).headers()).containsEntry("connection", "close");
    assertThat(PROXY.backend().connections()).as("store connections").isEqualTo(before);
  }

  @Test
  void aValidChunkedCallWithExtensionsAndTrailersIsForwardedWithoutTheTrailers() throws Exception {
    String request =
        "POST /v1_1/othercloud/raw/upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\n"
            + "X-Trailer-Canary: smuggled\r\nContent-Length: 1\r\n\r\n";

    List<RawHttp.Response> responses =
        RawHttp.parse(RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(request)));

    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200);
    assertThat(PROXY.backend().received())
        .contains("hello world")
        .doesNotContain("X-Trailer-Canary");
  }

  @Test
  void aChunkedPostPipelinedAmongGetsIsAnsweredInOrderWithItsWholeBody() throws Exception {
    String post =
        "POST /v1_1/othercloud/raw/upload HTTP/1.1\r\nHost: x\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n7\r\npipelin\r\n3\r\ned!\r\n0\r\n\r\n";
    String get = "GET /v1_1/othercloud/raw/list HTTP/1.1\r\nHost: x\r\n\r\n";
    String last = "GET /v1_1/othercloud/raw/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    List<RawHttp.Response> responses =
        RawHttp.parse(
            RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(get + post + get + last)));

    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 200, 200, 200);
    assertThat(PROXY.backend().received()).contains("pipelined!");
  }

  @Test
  void aGetWhoseBodyBreaksIsAnsweredThenRefusedAndClosed() throws Exception {
    // The head is valid, so the read is served; the broken body then ends the connection.
    String request = GET + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n";

    List<RawHttp.Response> responses =
        RawHttp.parse(RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(request)));

    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 400);
    assertThat(responses.get(1).headers()).containsEntry("connection", "close");
  }

  @Test
  void aBrokenBodyBehindAPipelinedGetIsAnsweredAfterTheGet() throws Exception {
    String get = "GET /v1_1/othercloud/raw/list HTTP/1.1\r\nHost: x\r\n\r\n";

    List<RawHttp.Response> responses =
        RawHttp.parse(
            RawHttp.exchange(
                PROXY.fx().proxy.port(), RawHttp.ascii(get + CHUNKED + "5\nhello\n0\n\n")));

    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 400);
  }

  @Test
  void aHeadWithLfOnlyLinesIsAcceptedAsNginxAndRfc9112AllowAndForwardedWithCrlf() throws Exception {
    String get = "GET /v1_1/othercloud/raw/list HTTP/1.1\nHost: x\nX-Lf-Only: yes\n\n";
    String mixed = "GET /v1_1/othercloud/raw/list HTTP/1.1\r\nHost: x\nConnection: close\r\n\n";

    List<RawHttp.Response> responses =
        RawHttp.parse(RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(get + mixed)));

    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200, 200);
    assertThat(PROXY.backend().received())
        .contains("X-Lf-Only: yes\r\n")
        .doesNotContain("yes\nHost");
  }

  @Test
  void anLfOnlyHeadWithCrlfChunksAndLfInsideTheDataIsForwardedWhole() throws Exception {
    String request =
        "POST /v1_1/othercloud/raw/upload HTTP/1.1\nHost: x\nConnection: close\n"
            + "Content-Type: text/plain\nTransfer-Encoding: chunked\n\n"
            + "6\r\nline1\n\r\n7;x=y\r\nline2\n\n\r\n0\r\nX-T: z\r\n\r\n";

    List<RawHttp.Response> responses =
        RawHttp.parse(RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(request)));

    assertThat(responses).extracting(RawHttp.Response::status).containsExactly(200);
    assertThat(PROXY.backend().received()).contains("line1\nline2\n\n").doesNotContain("X-T");
  }
}
