package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.sandbox.emulator.StoredAsset;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The S3 read client's connection cap end to end ({@code s3.maxConnections} 1, one event loop): a
 * client that stops reading a large document keeps the only S3 connection busy, so the next read
 * waits in line for {@code s3.connectTimeoutMillis} and is then served by Cloudinary, counted as an
 * S3 timeout fallback and queued for repair like any other; the held reader still gets its whole
 * body from S3 afterwards.
 */
class S3ConnectionCapTest {
  private static final int SIZE = 4 << 20;

  @RegisterExtension
  static final ProxyExtension PROXY =
      ProxyExtension.overSandbox(
          Map.of(
              "s3.maxConnections", "1",
              "s3.connectTimeoutMillis", "300",
              "proxy.eventLoopThreads", "1"));

  static byte[] big;

  @BeforeAll
  static void seed() throws Exception {
    PROXY.fx().weight(100);
    big = new byte[SIZE];
    new Random(5).nextBytes(big);
    StoredAsset a = PROXY.fx().seed("raw", "upload", "cap/big.bin", big);
    PROXY.fx().copyToS3(a, big, "application/octet-stream");
  }

  @Test
  void aReadThatFindsTheOnlyS3ConnectionBusyFallsBackToCloudinary() throws Exception {
    double timeoutsBefore = FallbackTest.timeouts(PROXY.fx());
    double fallbacksBefore = PROXY.fx().fallbacks();
    long queuedBefore = PROXY.fx().ledger.outbox().stats().depth();
    try (Socket holder =
        RawHttp.get(PROXY.fx().proxy.port(), "/demo/raw/upload/cap/big.bin", 4 * 1024)) {
      InputStream in = holder.getInputStream();
      assertThat(RawHttp.head(in)).contains("x-docshift-backend: s3");

      HttpResponse<byte[]> second =
          FallbackTest.fetch(PROXY.fx(), "/demo/raw/upload/cap/big.bin", "GET");

      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(second.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
      assertThat(second.body()).isEqualTo(big);
      assertThat(FallbackTest.timeouts(PROXY.fx()) - timeoutsBefore).isEqualTo(1);
      assertThat(PROXY.fx().fallbacks() - fallbacksBefore).isEqualTo(1);
      FallbackTest.awaitRepairs(PROXY.fx(), queuedBefore + 1);
      assertThat(in.readNBytes(SIZE)).as("the held reader's body, from S3").isEqualTo(big);
    }
  }
}
