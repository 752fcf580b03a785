package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both stores unreachable in the two ways a network fails: a store that accepts TCP and never
 * answers ({@link StubBackend#silent()}), and one that drops SYNs ({@link BlackHole}). A thousand
 * calls of every kind (an original read from S3 that falls back, originals and a transformation
 * from Cloudinary, an API pass-through, an upload) each get 502 or 504 within the deadlines
 * configured below; afterwards no socket to the store is left, and file descriptors, threads and
 * Netty's memory are back where a warm-up round of the same calls left them.
 */
@Timeout(300)
class UnreachableStoreTest {
  private static final int CALLS = 1_000;
  private static final int CLIENTS = 50;

  /**
   * The longest chain of configured waits (S3 first byte, Cloudinary connect and answer), plus
   * slack.
   */
  private static final Duration BOUND = Duration.ofMillis(300 + 300 + 400 + 400 + 2_500);

  /** Pool chunks and thread-local caches may settle a little differently; a leak is per call. */
  private static final Usage SLACK = new Usage(16, 8, 8L << 20, 8L << 20);

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spool;

  private Map<String, String> deadlines(URI store) {
    return Map.ofEntries(
        Map.entry("cloudinary.apiUrl", store.toString()),
        Map.entry("cloudinary.deliveryUrl", store + "/{cloudName}"),
        Map.entry("cloudinary.connectTimeoutMillis", "300"),
        Map.entry("s3.connectTimeoutMillis", "300"),
        Map.entry("cloudinary.requestTimeoutMillis", "400"),
        Map.entry("s3.requestTimeoutMillis", "400"),
        Map.entry("proxy.s3FirstByteTimeoutMillis", "300"),
        Map.entry("proxy.storeTotalWaitMillis", "1500"),
        Map.entry("cloudinary.apiTotalTimeoutMillis", "1500"),
        Map.entry("proxy.maxInFlightUploads", "1000"),
        Map.entry("proxy.spoolDir", spool.toString()));
  }

  @Test
  void aStoreThatAcceptsAndNeverAnswers() throws Exception {
    try (StubBackend silent = StubBackend.silent()) {
      URI store = silent.url();
      hammer(store, () -> silent.open() + Usage.socketsTo("127.0.0.1", store.getPort()));
    }
  }

  @Test
  void aStoreThatDropsSyns() throws Exception {
    try (BlackHole hole = BlackHole.open()) {
      System.out.println("SYN drop by " + hole.how());
      hammer(hole.url(), () -> Usage.socketsTo(hole.host(), BlackHole.PORT));
    }
  }

  private void hammer(URI store, LongSupplier storeSockets) throws Exception {
    try (ReadPathFixture fx =
        new ReadPathFixture(CLD.emulator(), S3.s3(), store, deadlines(store))) {
      StoredAsset inS3 = fx.seed("raw", "upload", "dead/in-s3.txt", RawHttp.ascii("verified"));
      fx.copyToS3(inS3, RawHttp.ascii("verified"), "text/plain");
      fx.weight(100);
      calls(fx, CLIENTS * 2);
      Usage baseline =
          settled(storeSockets, Usage.now(), new Usage(1L << 20, 1L << 20, 1L << 40, 1L << 40));

      long start = System.nanoTime();
      calls(fx, CALLS);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      Usage after = settled(storeSockets, baseline, SLACK);
      System.out.printf(
          "%s: %d calls in %d ms; before %s, after %s%n",
          store, CALLS, took.toMillis(), baseline, after);
      assertThat(storeSockets.getAsLong()).as("sockets to the store").isZero();
      assertThat(after.within(baseline, SLACK))
          .as("%s within %s of %s", after, SLACK, baseline)
          .isTrue();
      FramingTest.assertSpoolEmpty(fx.proxy.spoolDirectory());
    }
  }

  /** Polls (bounded) until no socket to the store is left and usage is within slack. */
  private static Usage settled(LongSupplier storeSockets, Usage baseline, Usage slack) {
    Usage[] now = {Usage.now()};
    Eventually.holdsWithin(
        Duration.ofSeconds(15),
        () -> {
          now[0] = Usage.now();
          return storeSockets.getAsLong() == 0 && now[0].within(baseline, slack);
        });
    return now[0];
  }

  private static void calls(ReadPathFixture fx, int count) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String request = request(i);
        answers.add(clients.submit(() -> timed(fx, request)));
      }
      for (Future<Integer> a : answers) {
        assertThat(a.get()).isIn(502, 504);
      }
    } finally {
      clients.shutdown();
    }
  }

  private static int timed(ReadPathFixture fx, String request) throws Exception {
    long start = System.nanoTime();
    List<RawHttp.Response> responses =
        RawHttp.parse(RawHttp.exchange(fx.proxy.port(), RawHttp.ascii(request)));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to answer").isLessThan(BOUND);
    assertThat(responses).hasSize(1);
    return responses.get(0).status();
  }

  /** Call {@code i} of the mix: S3 read with fallback, original, transformation, API, upload. */
  private static String request(int i) {
    return switch (i % 5) {
      case 0 -> get("/demo/raw/upload/dead/in-s3.txt");
      case 1 -> get("/demo/raw/upload/dead/only-cloudinary-" + i + ".txt");
      case 2 -> get("/demo/image/upload/w_100/dead/transformed-" + i + ".jpg");
      case 3 -> get("/v1_1/demo/resources/image");
      default -> upload(i);
    };
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  }

  private static String upload(int i) {
    String body =
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f"
            + i
            + ".txt\"\r\n\r\nhello\r\n--b--\r\n";
    return "POST /v1_1/demo/raw/upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }
}
