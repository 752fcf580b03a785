package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docshift serve} (a child JVM) on SIGTERM: {@code /readyz} turns 503 while the proxy still
 * accepts, then the listener closes, an upload in flight is still answered and stored in both
 * stores, and the process exits 0. A second SIGTERM cuts a long drain short (exit 143) and the
 * upload it cut is never acknowledged. {@code serve} starts with operator tokens and no shared
 * {@code admin.token}.
 */
@Timeout(180)
class ServeDrainTest {
  /** One per test: a pooled connection must not outlive the child it was opened to. */
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir static Path dir;
  private static SandboxRunner sandbox;
  private static DocShiftConfig config;

  @BeforeAll
  static void startSandbox() {
    Map<String, String> overrides = new HashMap<>(CliHarness.ephemeralSandbox(0));
    overrides.put("repair.enabled", "false");
    overrides.put("traffic.writeMode", "DUAL_CLOUDINARY_PRIMARY");
    sandbox = SandboxRunner.start(dir.resolve("sb"), null, overrides, l -> {});
    config = DocShiftConfig.builder().file(sandbox.configFile()).build();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @Test
  void sigtermGoesUnreadyThenStopsAcceptingThenAnswersTheUploadInFlightAndExitsZero()
      throws Exception {
    Doc doc = Doc.raw("drain/in-flight");
    byte[] file = Bodies.pdf(300_000, doc.seed());
    byte[] body = unsignedForm(doc, file);
    // A test that fails half-way leaves no child JVM behind.
    try (ServeChild serve = serve("graceful", "shutdown.readinessDelayMillis=3000")) {
      assertThat(get(serve.adminUrl().resolve("/readyz"))).isEqualTo(200);
      try (RawExchange upload = new RawExchange(serve.url())) {
        upload.head(requestLine(doc), headers(serve.url(), body.length));
        upload.body(Arrays.copyOf(body, body.length / 2));

        serve.terminate();
        awaitStatus(serve.adminUrl().resolve("/readyz"), 503);
        assertThat(get(serve.adminUrl().resolve("/livez"))).isEqualTo(200);
        assertThat(get(serve.url().resolve("/" + cloud() + "/raw/upload/drain/missing")))
            .as("still accepting while balancers take it out")
            .isEqualTo(404);
        awaitRefused(serve.url());

        RawExchange.Response answer =
            upload.body(Arrays.copyOfRange(body, body.length / 2, body.length)).read();
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.headers().get("connection")).isEqualTo("close");
      }
      assertThat(serve.awaitExit(40)).as("exit code after a full drain").isZero();
    }
    assertStored(doc, file);
  }

  /**
   * Regression: serve installs its signal handlers after its ports open, and a SIGTERM before them
   * was the JVM's (exit 143 at once, no drain). {@link ServeChild#start} returns only once serve
   * printed its banner, which comes after the handlers.
   */
  @Test
  void aSigtermAsSoonAsTheStartReturnsIsDrainedAndExitsZero() throws Exception {
    try (ServeChild serve = serve("at-once")) {
      serve.terminate();
      assertThat(serve.awaitExit(40))
          .as("exit code (143: the JVM's default handler took the SIGTERM, nothing drained)")
          .isZero();
    }
  }

  @Test
  void aSecondSigtermCutsTheDrainShortAndTheCutUploadIsNeverAcknowledged() throws Exception {
    Doc doc = Doc.raw("drain/cut");
    byte[] body = unsignedForm(doc, Bodies.pdf(300_000, doc.seed()));
    try (ServeChild serve = serve("cut", "shutdown.readinessDelayMillis=60000");
        RawExchange upload = new RawExchange(serve.url())) {
      upload.head(requestLine(doc), headers(serve.url(), body.length));
      upload.body(Arrays.copyOf(body, body.length / 2));

      serve.terminate();
      awaitStatus(serve.adminUrl().resolve("/readyz"), 503);
      long cutAt = System.nanoTime();
      serve.terminate();
      assertThat(serve.awaitExit(30)).isEqualTo(143);
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - cutAt))
          .as("seconds from the second SIGTERM to exit (the delay alone is 60)")
          .isLessThan(20);
      assertThat(answerOrNone(upload)).as("the cut upload's answer").isNull();
    }
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build());
        StoreProbe stores = new StoreProbe(config, ledger)) {
      assertThat(stores.row(doc.rt(), doc.publicId())).isEmpty();
      assertThat(stores.s3(doc.path())).isNull();
      assertThat(stores.cloudinary(doc.path())).isNull();
    }
  }

  @Test
  void serveRunsWithOperatorTokensAloneAndAcceptsThem() throws Exception {
    String token = "alice-token-0123456789abcdef";
    try (ServeChild serve =
        serve("operators", "admin.token=", "admin.operatorTokens=alice:" + token)) {
      URI traffic = serve.adminUrl().resolve("/admin/traffic");
      HttpRequest withToken =
          HttpRequest.newBuilder(traffic).header("Authorization", "Bearer " + token).build();
      assertThat(http.send(withToken, HttpResponse.BodyHandlers.discarding()).statusCode())
          .isEqualTo(200);
      assertThat(get(traffic)).as("without a token").isEqualTo(401);
      serve.terminate();
      assertThat(serve.awaitExit(40)).isZero();
    }
  }

  private ServeChild serve(String name, String... sets) throws Exception {
    String[] all = Arrays.copyOf(sets, sets.length + 2);
    all[sets.length] = "repair.enabled=false";
    all[sets.length + 1] = "shutdown.drainTimeoutMillis=30000";
    return ServeChild.start(sandbox.configFile(), dir.resolve("serve-" + name + ".log"), 0, 0, all);
  }

  private static RawExchange.Response answerOrNone(RawExchange upload) {
    try {
      return upload.read();
    } catch (IOException | RuntimeException closed) {
      return null;
    }
  }

  private static void assertStored(Doc doc, byte[] file) throws Exception {
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build());
        StoreProbe stores = new StoreProbe(config, ledger)) {
      assertThat(stores.s3(doc.path())).as("in S3").isEqualTo(file);
      assertThat(stores.cloudinary(doc.path())).as("in Cloudinary").isEqualTo(file);
      assertThat(stores.row(doc.rt(), doc.publicId()).orElseThrow().state())
          .isEqualTo(S3State.VERIFIED);
      assertThat(stores.outbox(doc.rt(), doc.publicId())).isEmpty();
    }
  }

  private static String cloud() {
    return config.cloudinary().cloudName();
  }

  private static byte[] unsignedForm(Doc doc, byte[] file) {
    return SignedForm.unsigned(
            Map.of("public_id", doc.publicId(), "upload_preset", SandboxRunner.UNSIGNED_PRESET))
        .file(file)
        .body();
  }

  private static String requestLine(Doc doc) {
    return "POST /v1_1/" + cloud() + "/" + doc.rt() + "/upload HTTP/1.1";
  }

  private static Map<String, String> headers(URI server, long contentLength) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", server.getAuthority());
    headers.put("Content-Type", SignedForm.contentType());
    headers.put("Content-Length", Long.toString(contentLength));
    return headers;
  }

  private int get(URI url) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private void awaitStatus(URI url, int status) {
    Eventually.until(
        Duration.ofSeconds(5), () -> getOrMinusOne(url), last -> last == status, url.toString());
  }

  /**
   * {@link #get}, or -1 when the exchange fails (a pooled connection to an earlier child that had
   * the same port is reset): polling goes on.
   */
  private int getOrMinusOne(URI url) throws InterruptedException {
    try {
      return get(url);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits (15 s at most) until the proxy port refuses connections. */
  private static void awaitRefused(URI server) {
    Eventually.until(
        Duration.ofSeconds(15), () -> refuses(server), "proxy to refuse after SIGTERM");
  }

  private static boolean refuses(URI server) throws IOException {
    try {
      new Socket(server.getHost(), server.getPort()).close();
      return false;
    } catch (ConnectException refused) {
      return true;
    }
  }
}
