package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.sandbox.emulator.StoredAsset;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client reading a large document at a trickle never makes DocShift buffer the document: the
 * write-buffer watermark stops demand on the store ({@code BodyStreamer} asks for more only while
 * the client channel is writable), so Netty's memory and the heap stay a few MiB above where they
 * were, far below the document's size, whether Cloudinary (delivery client on the proxy's loops) or
 * S3 (the AWS SDK's publisher) serves it. Loopback stores would hand over the whole document in a
 * fraction of the trickle's duration if nothing held them back.
 */
@Timeout(120)
class SlowReaderTest {
  private static final int SIZE = 64 << 20;
  private static final long BOUND = 16L << 20;
  private static final Duration TRICKLE = Duration.ofSeconds(3);

  @RegisterExtension static final ProxyExtension PROXY = ProxyExtension.overSandbox(Map.of());

  @BeforeAll
  static void seed() throws Exception {
    byte[] big = new byte[SIZE];
    new Random(7).nextBytes(big);
    PROXY.fx().seed("raw", "upload", "slow/cloudinary.bin", big);
    StoredAsset inS3 = PROXY.fx().seed("raw", "upload", "slow/s3.bin", big);
    PROXY.fx().copyToS3(inS3, big, "application/octet-stream");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloudinary", "s3"})
  void aTrickleReaderOfALargeDocumentCostsOnlyTheWatermark(String store) throws Exception {
    PROXY.fx().weight(store.equals("s3") ? 100 : 0);
    long[] before = memory();
    long[] peak = before.clone();

    try (Socket client =
        RawHttp.get(
            PROXY.fx().proxy.port(), "/demo/raw/upload/slow/" + store + ".bin", 16 * 1024)) {
      InputStream in = client.getInputStream();
      assertThat(RawHttp.head(in))
          .startsWith("http/1.1 200")
          .contains("content-length: " + SIZE)
          .contains("x-docshift-backend: " + store);
      long read = trickle(in, peak);
      assertThat(read).as("bytes read at a trickle").isLessThan(SIZE / 4);
    }
    long[] grown = {peak[0] - before[0], peak[1] - before[1]};
    System.out.printf(
        "%s: document %d MiB, peak growth Netty %d KiB, heap %d KiB%n",
        store, SIZE >> 20, grown[0] >> 10, grown[1] >> 10);
    assertThat(grown[0]).as("Netty memory growth").isLessThan(BOUND);
    assertThat(grown[1]).as("heap growth").isLessThan(BOUND);
  }

  /**
   * Reads 8 KiB every 10 ms (800 KiB/s) for {@link #TRICKLE}, sampling memory every 100 ms; returns
   * the bytes read.
   */
  private static long trickle(InputStream in, long[] peak) throws Exception {
    byte[] buffer = new byte[8 * 1024];
    long read = 0;
    long end = System.nanoTime() + TRICKLE.toNanos();
    for (int i = 0; System.nanoTime() < end; i++) {
      read += Math.max(0, in.read(buffer));
      if (i % 10 == 0) {
        long[] now = memory();
        peak[0] = Math.max(peak[0], now[0]);
        peak[1] = Math.max(peak[1], now[1]);
      }
      Thread.sleep(10);
    }
    return read;
  }

  /** Netty's direct plus heap memory in use, and the JVM heap in use after a collection. */
  private static long[] memory() {
    Usage usage = Usage.now();
    MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
    bean.gc();
    return new long[] {
      usage.directBytes() + usage.heapBytes(), bean.getHeapMemoryUsage().getUsed()
    };
  }
}
