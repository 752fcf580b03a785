package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.testkit.Eventually;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bounds on what one server holds, each with a clear answer when reached: {@code
 * proxy.maxConnections} (503 and close before a byte is read), {@code proxy.maxInFlightUploads}
 * (503 with {@code Retry-After}, nothing spooled, no store called).
 */
@Timeout(60)
class LimitsTest {
  private static final String LIST =
      "GET /v1_1/othercloud/raw/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

  @RegisterExtension
  static final ProxyExtension PROXY =
      ProxyExtension.overStub(
          Map.of(
              "proxy.maxConnections", "2",
              "proxy.maxInFlightUploads", "1"));

  private static List<RawHttp.Response> exchange(String request) throws IOException {
    return RawHttp.parse(RawHttp.exchange(PROXY.fx().proxy.port(), RawHttp.ascii(request)));
  }

  @Test
  void oneConnectionOverTheLimitIsAnswered503AndClosedThenServedOnceOneLeaves() throws Exception {
    Socket first = new Socket("127.0.0.1", PROXY.fx().proxy.port());
    try (Socket second = new Socket("127.0.0.1", PROXY.fx().proxy.port())) {
      assertThat(second.isConnected()).isTrue();
      // The two are counted when their event loops set them up, not when connect returns.
      awaitOpenConnections(2);
      List<RawHttp.Response> refused = exchange(LIST);
      assertThat(refused).extracting(RawHttp.Response::status).containsExactly(503);
      assertThat(refused.get(0).headers())
          .containsEntry("retry-after", "1")
          .containsEntry("connection", "close");
      first.close();
      assertThat(servedWithin(Duration.ofSeconds(5))).isTrue();
    } finally {
      first.close();
    }
  }

  private static void awaitOpenConnections(int n) throws Exception {
    Eventually.until(
        Duration.ofSeconds(5),
        () -> PROXY.fx().proxy.server().openConnections(),
        open -> open == n,
        n + " open connections");
  }

  /** Polls: the slot comes back when the server sees the close, a moment after the client. */
  private static boolean servedWithin(Duration bound) throws Exception {
    return Eventually.holdsWithin(bound, () -> exchange(LIST).get(0).status() == 200);
  }

  @Test
  void anUploadOverTheInFlightLimitGets503WithRetryAfterAndSpoolsNothing() throws Exception {
    String head =
        "POST /v1_1/demo/raw/upload HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n";
    int before = PROXY.backend().connections();
    try (Socket holder = new Socket("127.0.0.1", PROXY.fx().proxy.port())) {
      OutputStream out = holder.getOutputStream();
      out.write(RawHttp.ascii(head + "--b\r\n"));
      out.flush();
      awaitCallDirectories(1);

      List<RawHttp.Response> refused = exchange(head + "--b\r\n");

      assertThat(refused).extracting(RawHttp.Response::status).containsExactly(503);
      assertThat(refused.get(0).headers()).containsEntry("retry-after", "1");
      assertThat(new String(refused.get(0).body())).contains("retry");
      assertThat(callDirectories()).isEqualTo(1);
    }
    FramingTest.assertSpoolEmpty(PROXY.fx().proxy.spoolDirectory());
    assertThat(PROXY.backend().connections()).isEqualTo(before);
  }

  private static long callDirectories() throws IOException {
    try (var calls = Files.list(PROXY.fx().proxy.spoolDirectory())) {
      return calls.count();
    }
  }

  private static void awaitCallDirectories(long n) throws Exception {
    Eventually.until(
        Duration.ofSeconds(5), LimitsTest::callDirectories, c -> c == n, n + " call directories");
  }
}
