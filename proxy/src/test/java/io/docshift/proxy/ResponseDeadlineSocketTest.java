package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-response deadline over a real socket, with the send buffer capped: a client that starts
 * late and then reads a 2 MiB document a quarter above the floor's rate, far slower than the store
 * and the kernel could send it, gets the whole document, and its connection stays open after it; no
 * limit closed anything. Its response is due at {@code grace + size / floor} = 1 s + 8 s; it takes
 * about 7 s.
 */
@Timeout(60)
class ResponseDeadlineSocketTest {
  private static final int SIZE = 2 << 20;
  private static final int FLOOR = 256 * 1024;
  private static final long READER_BYTES_PER_SECOND = FLOOR * 5L / 4;

  @RegisterExtension
  static final ProxyExtension PROXY =
      ProxyExtension.overSandbox(
          Map.of(
              "proxy.minResponseBytesPerSecond", Integer.toString(FLOOR),
              "proxy.responseRateGraceMillis", "1000",
              "proxy.socketSendBufferBytes", "65536"));

  @BeforeAll
  static void seed() throws Exception {
    byte[] big = new byte[SIZE];
    new Random(14).nextBytes(big);
    PROXY.fx().seed("raw", "upload", "deadline/big.bin", big);
  }

  @Test
  void aLateButSteadyReaderAboveTheFloorGetsTheWholeDocumentAndKeepsItsConnection()
      throws Exception {
    try (Socket client =
        RawHttp.get(PROXY.fx().proxy.port(), "/demo/raw/upload/deadline/big.bin", 16 * 1024)) {
      InputStream in = client.getInputStream();
      Thread.sleep(500); // a late start: the store fills the send buffer, nothing is read
      assertThat(RawHttp.head(in)).startsWith("http/1.1 200");
      assertThat(readPaced(in)).as("the whole body").isEqualTo(SIZE);
      assertThat(PROXY.fx().proxy.server().openConnections()).as("still connected").isEqualTo(1);
    }
    for (ConnectionLimit limit : ConnectionLimit.values()) {
      assertThat(
              PROXY
                  .fx()
                  .registry
                  .counter(MicrometerMetricsRecorder.CONNECTIONS_CLOSED, "reason", limit.tag())
                  .count())
          .as(limit.tag())
          .isZero();
    }
  }

  /** Reads the body at {@link #READER_BYTES_PER_SECOND} on average; returns the bytes read. */
  private static long readPaced(InputStream in) throws Exception {
    byte[] buffer = new byte[8 * 1024];
    long read = 0;
    long start = System.nanoTime();
    while (read < SIZE) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, SIZE - read));
      if (n < 0) {
        break;
      }
      read += n;
      long due = start + TimeUnit.SECONDS.toNanos(1) * read / READER_BYTES_PER_SECOND;
      long ahead = due - System.nanoTime();
      if (ahead > 0) {
        TimeUnit.NANOSECONDS.sleep(ahead);
      }
    }
    return read;
  }
}
