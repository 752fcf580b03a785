package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.sandbox.emulator.StoredAsset;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The response byte-rate floor end to end, over real sockets: a client taking one byte a second of
 * a document far larger than the socket buffers is disconnected by DocShift within the grace (it
 * took almost nothing, so it earned almost no time), whichever store serves; a client reading far
 * above the floor but slower than the store, for three graces, keeps its connection and the body
 * keeps coming. With the send buffer capped ({@code proxy.socketSendBufferBytes}), a trickle reader
 * of a 400 KiB answer, which an autotuned buffer would take whole and so hide from the floor, is
 * closed as promptly. The client side cannot see the close while its own receive buffer still holds
 * bytes (the FIN queues behind them), so the proxy's count of open connections is what is asserted.
 */
@Timeout(120)
class SlowReadFloorTest {
  private static final int SIZE = 16 << 20;
  private static final Duration GRACE = Duration.ofSeconds(2);

  private static final int FLOOR = 8 * 1024;

  /**
   * An answer the kernel would swallow whole with an autotuned send buffer (about 2.5 MB on
   * loopback), but three times the capped one (64 KiB, doubled by Linux).
   */
  private static final int MID_SIZE = 400 * 1024;

  /**
   * Grace, counted from the last burst the kernel takes as the backlog starts (the acknowledgements
   * of what was in flight free up to its whole buffer at once, which buys at most one grace); plus
   * the time the store takes to fill the kernel's send buffer before the client sets the pace; plus
   * scheduling slack on a loaded 2-core machine. The same for both stores and for the 400 KiB
   * answer: when the burst was credited in full (about 63 KiB, 7.75 s at the floor), closes came 10
   * to 11 s after the request, and up to 18 s for the 400 KiB answer.
   */
  private static final Duration BOUND = GRACE.plusSeconds(5);

  @RegisterExtension
  static final ProxyExtension PROXY =
      ProxyExtension.overSandbox(
          Map.of(
              "proxy.minResponseBytesPerSecond",
              Integer.toString(FLOOR),
              "proxy.responseRateGraceMillis",
              Long.toString(GRACE.toMillis()),
              "proxy.socketSendBufferBytes",
              "65536"));

  @BeforeAll
  static void seed() throws Exception {
    byte[] big = new byte[SIZE];
    new Random(11).nextBytes(big);
    PROXY.fx().seed("raw", "upload", "floor/cloudinary.bin", big);
    StoredAsset inS3 = PROXY.fx().seed("raw", "upload", "floor/s3.bin", big);
    PROXY.fx().copyToS3(inS3, big, "application/octet-stream");
    PROXY.fx().seed("raw", "upload", "floor/mid.bin", Arrays.copyOf(big, MID_SIZE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloudinary", "s3"})
  void aReaderTakingOneBytePerSecondIsDisconnectedWithinTheBound(String store) throws Exception {
    PROXY.fx().weight(store.equals("s3") ? 100 : 0);
    double before = closedBy(ConnectionLimit.RESPONSE_RATE);
    assertThat(trickleUntilClosed(store, BOUND)).contains("x-docshift-backend: " + store);
    assertThat(closedBy(ConnectionLimit.RESPONSE_RATE) - before).isEqualTo(1);
  }

  @Test
  void aTrickleReaderOfAnAnswerAnAutotunedBufferWouldSwallowIsClosedWithinTheBound()
      throws Exception {
    PROXY.fx().weight(0);
    double before = closedBy(ConnectionLimit.RESPONSE_RATE);
    trickleUntilClosed("mid", BOUND);
    assertThat(closedBy(ConnectionLimit.RESPONSE_RATE) - before).isEqualTo(1);
  }

  /**
   * Asks for {@code floor/{name}.bin} and reads one byte a second until DocShift has closed the
   * connection, which must happen within {@code bound}; returns the answer's head.
   */
  private static String trickleUntilClosed(String name, Duration bound) throws Exception {
    try (Socket client = request(name, 4 * 1024)) {
      long start = System.nanoTime();
      InputStream in = client.getInputStream();
      String head = RawHttp.head(in);
      assertThat(head).startsWith("http/1.1 200");
      long deadline = start + bound.plusSeconds(5).toNanos();
      while (PROXY.fx().proxy.server().openConnections() > 0 && System.nanoTime() < deadline) {
        assertThat(in.read()).as("a byte of the body").isNotNegative();
        Thread.sleep(1_000);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(PROXY.fx().proxy.server().openConnections())
          .as("connections DocShift keeps")
          .isZero();
      assertThat(took).as("time until DocShift closed the trickle reader").isLessThan(bound);
      return head;
    }
  }

  private static double closedBy(ConnectionLimit limit) {
    return PROXY
        .fx()
        .registry
        .counter(MicrometerMetricsRecorder.CONNECTIONS_CLOSED, "reason", limit.tag())
        .count();
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloudinary", "s3"})
  void aReaderAboveTheFloorButSlowerThanTheStoreKeepsItsConnection(String store) throws Exception {
    PROXY.fx().weight(store.equals("s3") ? 100 : 0);
    try (Socket client = request(store, 64 * 1024)) {
      InputStream in = client.getInputStream();
      assertThat(RawHttp.head(in)).startsWith("http/1.1 200").contains("content-length: " + SIZE);
      byte[] buffer = new byte[8 * 1024];
      long read = 0;
      long slowUntil = System.nanoTime() + GRACE.multipliedBy(3).toNanos();
      while (System.nanoTime() < slowUntil) { // 8 KiB per 50 ms: 160 KiB/s, far above the floor
        read += Math.max(0, in.read(buffer));
        Thread.sleep(50);
      }
      assertThat(PROXY.fx().proxy.server().openConnections()).as("still connected").isEqualTo(1);
      long more = read + (1 << 20);
      for (int n = in.read(buffer); n >= 0 && read < more; n = in.read(buffer)) {
        read += n;
      }
      assertThat(read).as("the body keeps coming after three graces").isGreaterThanOrEqualTo(more);
    }
  }

  private static Socket request(String name, int receiveBufferBytes) throws Exception {
    return RawHttp.get(
        PROXY.fx().proxy.port(), "/demo/raw/upload/floor/" + name + ".bin", receiveBufferBytes);
  }
}
