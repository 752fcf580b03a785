package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.WriteMode;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both stores accept TCP, read, and never answer. Every kind of call (a read from either store, a
 * relayed transformation, an API pass-through, an upload) must still be answered within its
 * configured deadline, leave nothing in the spool, and leave no store connection open.
 */
@Timeout(120)
class SilentStoreTest {
  /** The store deadlines below, plus the S3 first-byte wait and scheduling slack. */
  private static final Duration BOUND = Duration.ofMillis(1_000 + 1_000 + 500 + 2_500);

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir static Path spool;
  static StubBackend silent;
  static ReadPathFixture fx;
  static StoredAsset inS3;

  @BeforeAll
  static void start() throws Exception {
    silent = StubBackend.silent();
    fx =
        new ReadPathFixture(
            CLD.emulator(),
            S3.s3(),
            silent.url(),
            Map.of(
                "cloudinary.apiUrl",
                silent.url().toString(),
                "cloudinary.deliveryUrl",
                silent.url() + "/{cloudName}",
                "cloudinary.requestTimeoutMillis",
                "1000",
                "s3.requestTimeoutMillis",
                "1000",
                "proxy.s3FirstByteTimeoutMillis",
                "500",
                "proxy.spoolDir",
                spool.toString()));
    inS3 = fx.seed("raw", "upload", "silent/in-s3.txt", RawHttp.ascii("a verified copy"));
    fx.copyToS3(inS3, RawHttp.ascii("a verified copy"), "text/plain");
  }

  @AfterAll
  static void stop() throws IOException {
    fx.close();
    silent.close();
  }

  @AfterEach
  void nothingLeftBehind() throws Exception {
    FramingTest.assertSpoolEmpty(fx.proxy.spoolDirectory());
  }

  private static RawHttp.Response timed(String request) throws Exception {
    long start = System.nanoTime();
    List<RawHttp.Response> responses =
        RawHttp.parse(RawHttp.exchange(fx.proxy.port(), RawHttp.ascii(request)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("time to answer").isLessThan(BOUND);
    assertThat(responses).hasSize(1);
    return responses.get(0);
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/demo/raw/upload/silent/cloudinary-only.txt",
        "/demo/image/upload/w_100/silent/transformed.jpg",
        "/v1_1/demo/resources/image"
      })
  void aCloudinaryCallIsAnsweredWithinItsDeadline(String path) throws Exception {
    fx.weight(0);
    int before = silent.connections();

    RawHttp.Response r = timed(get(path));

    assertThat(r.status()).isIn(502, 504);
    assertThat(silent.connections()).as("the silent store was asked").isGreaterThan(before);
  }

  @Test
  void anS3ReadFallsBackThenIsAnsweredWithinItsDeadline() throws Exception {
    fx.weight(100);

    RawHttp.Response r = timed(get("/demo/raw/upload/silent/in-s3.txt"));

    assertThat(r.status()).isIn(502, 504);
  }

  @Test
  void anUploadIsAnsweredWithinItsDeadline() throws Exception {
    assertThat(fx.traffic.current().writeMode()).isEqualTo(WriteMode.CLOUDINARY_ONLY);
    String body = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhello\r\n--b--\r\n";
    String request =
        "POST /v1_1/demo/raw/upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body;

    RawHttp.Response r = timed(request);

    assertThat(r.status()).isIn(502, 504);
  }

  @Test
  void manyConcurrentCallsAllGetAnswersAndLeaveNoStoreConnectionOpen() throws Exception {
    fx.weight(0);
    ExecutorService clients = Executors.newFixedThreadPool(50);
    try {
      List<Future<RawHttp.Response>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String path = i % 2 == 0 ? "/demo/raw/upload/silent/many-" + i : "/v1_1/demo/usage";
        answers.add(clients.submit(() -> timed(get(path))));
      }
      for (Future<RawHttp.Response> a : answers) {
        assertThat(a.get().status()).isIn(502, 504);
      }
    } finally {
      clients.shutdownNow();
    }
    Eventually.until(
        Duration.ofSeconds(10), silent::open, open -> open == 0, "no store connection left open");
  }
}
