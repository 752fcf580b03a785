package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The byte-rate floor on request bodies ({@code proxy.minBodyBytesPerSecond} after {@code
 * proxy.bodyGraceMillis}): a client trickling an upload gets 408 and a close within a bound, its
 * spool removed and no store called, though it sends often enough to never trip the idle timeout; a
 * body slower than the grace period but above the floor is not cut.
 */
@Timeout(60)
class SlowBodyTest {
  private static final String HEAD =
      "POST /v1_1/demo/raw/upload HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: %d\r\n\r\n";

  @RegisterExtension
  static final ProxyExtension PROXY =
      ProxyExtension.overStub(
          Map.of(
              "proxy.minBodyBytesPerSecond", "1000",
              "proxy.bodyGraceMillis", "500",
              "proxy.idleTimeoutMillis", "30000"));

  static ExecutorService senders = Executors.newCachedThreadPool();

  @AfterAll
  static void stop() {
    senders.shutdownNow();
  }

  @Test
  void aTricklingUploadGets408AndACloseAndLeavesNothing() throws Exception {
    int before = PROXY.backend().connections();
    try (Socket socket = new Socket("127.0.0.1", PROXY.fx().proxy.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      long start = System.nanoTime();
      out.write(RawHttp.ascii(String.format(HEAD, 100_000) + "--b\r\n"));
      out.flush();
      // 10 bytes a second against a floor of 1000: far under it, yet never idle.
      Future<?> trickle = senders.submit(() -> send(out, 1_000, 1, Duration.ofMillis(100)));

      List<RawHttp.Response> answer = RawHttp.parse(socket.getInputStream().readAllBytes());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      trickle.cancel(true);

      assertThat(answer).extracting(RawHttp.Response::status).containsExactly(408);
      assertThat(answer.get(0).headers()).containsEntry("connection", "close");
      assertThat(new String(answer.get(0).body())).contains("too slowly");
      // Grace (500 ms) plus 1 ms a byte; well under the idle timeout (30 s).
      assertThat(took).isBetween(Duration.ofMillis(450), Duration.ofSeconds(5));
    }
    FramingTest.assertSpoolEmpty(PROXY.fx().proxy.spoolDirectory());
    assertThat(PROXY.backend().connections()).isEqualTo(before);
  }

  @Test
  void aBodySlowerThanTheGraceButAboveTheFloorIsNotCut() throws Exception {
    int pieces = 10;
    int piece = 1_000;
    try (Socket socket = new Socket("127.0.0.1", PROXY.fx().proxy.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String head =
          String.format(HEAD, pieces * piece).replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
      out.write(RawHttp.ascii(head));
      out.flush();
      // 10 kB/s for a second: twice the grace, ten times the floor.
      send(out, pieces, piece, Duration.ofMillis(100));

      List<RawHttp.Response> answer = RawHttp.parse(socket.getInputStream().readAllBytes());

      assertThat(answer).hasSize(1);
      assertThat(answer.get(0).status()).isNotEqualTo(408);
    }
    FramingTest.assertSpoolEmpty(PROXY.fx().proxy.spoolDirectory());
  }

  /** Sends {@code count} pieces of {@code size} bytes, one per {@code every}; stops when cut. */
  private static Void send(OutputStream out, int count, int size, Duration every) {
    byte[] bytes = "x".repeat(size).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      for (int i = 0; i < count; i++) {
        Thread.sleep(every.toMillis());
        out.write(bytes);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The server closed the connection (the point of the test) or the test is over.
    }
    return null;
  }
}
