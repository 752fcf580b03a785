package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.RepairOperation;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet with real processes: two {@code docshift serve} child JVMs on one embedded PostgreSQL
 * behind HAProxy (round robin, no stickiness, {@code /readyz} checks) on loopback, in {@code
 * DUAL_CLOUDINARY_PRIMARY}. A weight change and an auto-revert trip made on one instance are seen
 * by the other within 2 s; an {@code upload_large} through the balancer has its chunks answered by
 * both, in that mode and in {@code DUAL_S3_PRIMARY} (where DocShift assembles them). Under a
 * bounded load of uploads, {@code upload_large} and reads, each instance is restarted in turn with
 * SIGTERM while repair rows are seeded: no request fails, every acknowledged upload is in both
 * stores, every seeded row is applied exactly once by the fleet. Then one instance is killed with
 * SIGKILL: the other carries on, and after its repairs every acknowledged upload is in both stores.
 */
@Timeout(300)
class FleetTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final long PROMISE_MILLIS = 2_000;
  private static final int SEEDED_PER_RESTART = 10;
  private static final Pattern APPLIED = Pattern.compile("repair drain: applied (\\d+), failed");

  @TempDir Path dir;
  private DocShiftConfig config;
  private final Map<String, int[]> ports = new LinkedHashMap<>();
  private final List<String> sets = new ArrayList<>();

  @Test
  void twoInstancesConvergeRestartInTurnWithoutAFailureAndOutliveAKill() throws Exception {
    Map<String, String> sandboxKeys = new HashMap<>(CliHarness.ephemeralSandbox(0));
    sandboxKeys.put("repair.enabled", "false");
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
        SandboxRunner sandbox = SandboxRunner.start(dir.resolve("sb"), null, sandboxKeys, l -> {});
        ServeChildren fleet = new ServeChildren()) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      fleetSettings(url);
      config =
          DocShiftConfig.builder()
              .file(sandbox.configFile())
              .overrides(Map.of("ledger.url", url, "ledger.user", "postgres"))
              .build();
      Path conf = sandbox.configFile();
      ServeChild a = serve(fleet, conf, "a");
      ServeChild b = serve(fleet, conf, "b");
      try (Haproxy lb = Haproxy.start(dir, freePort(), freePort(), servers());
          Ledger ledger = Ledger.open(LedgerSettings.builder(config).build());
          StoreProbe stores = new StoreProbe(config, ledger)) {
        weightAndTripConverge(a, b, lb);
        uploadLargeChunksReachBoth(a, b, lb);
        uploadLargeSpreadInS3Primary(a, b, lb, stores);
        FleetLoad load = new FleetLoad(lb.url(), config.cloudinary(), 4);
        try {
          TimeUnit.MILLISECONDS.sleep(1_500);
          load.phase("rolling");
          List<String> seeded = new ArrayList<>(seedRepairs(ledger, "a"));
          a = restart(fleet, a, lb, conf);
          seeded.addAll(seedRepairs(ledger, "b"));
          b = restart(fleet, b, lb, conf);
          load.phase("restarted");
          awaitOutboxEmpty(stores, false);
          assertThat(load.failures()).as("failed requests during the rolling restart").isEmpty();
          assertThat(appliedInLogs()).as("seeded repairs applied by the fleet").isEqualTo(20);
          for (String id : seeded) {
            assertThat(stores.s3(Doc.raw(id).path())).as("repaired " + id).isNotNull();
          }

          load.phase("killed");
          a.kill();
          TimeUnit.MILLISECONDS.sleep(3_000);
          load.stop();
        } finally {
          load.stop();
        }
        assertThat(load.succeeded("killed")).as("served after the kill").isGreaterThan(5);
        assertThat(load.failures())
            .as("failures other than requests in flight on the killed instance")
            .allMatch(f -> f.failedIn().equals("killed"));
        awaitOutboxEmpty(stores, true);
        assertThat(load.acknowledged()).as("acknowledged uploads").hasSizeGreaterThan(20);
        stores.assertInBothStores(load.acknowledged());
      } finally {
        a.stop();
        b.stop();
      }
    }
  }

  private void fleetSettings(String url) {
    sets.addAll(
        List.of(
            "ledger.url=" + url,
            "ledger.user=postgres",
            "traffic.writeMode=DUAL_CLOUDINARY_PRIMARY",
            "traffic.s3ReadPercent=50",
            "repair.enabled=true",
            "repair.intervalMillis=300",
            "shutdown.readinessDelayMillis=1000",
            "shutdown.drainTimeoutMillis=20000"));
  }

  private ServeChild serve(ServeChildren fleet, Path conf, String name) throws Exception {
    int[] p = ports.computeIfAbsent(name, n -> new int[] {freePort(), freePort()});
    return fleet.start(
        conf, dir.resolve("serve-" + name + ".log"), p[0], p[1], sets.toArray(String[]::new));
  }

  private List<Haproxy.Server> servers() {
    List<Haproxy.Server> servers = new ArrayList<>();
    ports.forEach((name, p) -> servers.add(new Haproxy.Server(name, p[0], p[1])));
    return servers;
  }

  /** SIGTERM, a clean exit, the same ports again, and back in HAProxy's rotation. */
  private ServeChild restart(ServeChildren fleet, ServeChild old, Haproxy lb, Path conf)
      throws Exception {
    String name = old.port() == ports.get("a")[0] ? "a" : "b";
    old.terminate();
    lb.awaitStatus(name, "DOWN");
    assertThat(old.awaitExit(60)).as(name + " exit code after SIGTERM").isZero();
    ServeChild next = serve(fleet, conf, name);
    lb.awaitStatus(name, "UP");
    return next;
  }

  private void weightAndTripConverge(ServeChild a, ServeChild b, Haproxy lb) throws Exception {
    long set = System.nanoTime();
    put(a, "{\"s3ReadPercent\": 37, \"reason\": \"fleet test\"}");
    long seen = awaitTraffic(b, t -> t.path("effective").path("s3ReadPercent").asInt() == 37);
    assertThat(TimeUnit.NANOSECONDS.toMillis(seen - set))
        .as("weight seen by b, ms")
        .isLessThan(PROMISE_MILLIS);

    Doc doc = Doc.raw("fleet/trip");
    byte[] body = HistoryClient.payload("trip", 1, 10_000);
    assertThat(
            new HistoryClient(config.cloudinary())
                .upload(lb.url(), doc.publicId(), body, true)
                .outcome())
        .isEqualTo(HistoryOp.Outcome.OK);
    put(
        a,
        "{\"reason\": \"trip\", \"s3ReadPercent\": 100, \"autoRevert\": {\"p99Millis\": 1, \"minimumVolume\": 1}}");
    awaitTraffic(b, t -> t.path("effective").path("s3ReadPercent").asInt() == 100);
    long tripped = tripBy(a, doc);
    long tripSeen = awaitTraffic(b, t -> t.path("autoRevert").path("tripped").asBoolean());
    assertThat(TimeUnit.NANOSECONDS.toMillis(tripSeen - tripped))
        .as("trip seen by b, ms")
        .isLessThan(PROMISE_MILLIS);
    assertThat(traffic(b).path("effective").path("s3ReadPercent").asInt()).isZero();

    post(b, "/admin/traffic/resume");
    put(
        b,
        "{\"reason\": \"load\", \"s3ReadPercent\": 50, \"autoRevert\": {\"p99Millis\": 0, \"minimumVolume\": 50}}");
    awaitTraffic(
        a,
        t ->
            !t.path("autoRevert").path("tripped").asBoolean()
                && t.path("effective").path("s3ReadPercent").asInt() == 50);
  }

  /** Reads {@code doc} from S3 through {@code a} until a trips; returns when it saw the trip. */
  private long tripBy(ServeChild a, Doc doc) throws Exception {
    URI url = a.url().resolve("/" + config.cloudinary().cloudName() + "/" + doc.path());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding());
      if (traffic(a).path("autoRevert").path("tripped").asBoolean()) {
        return System.nanoTime();
      }
    }
    throw new AssertionError("a did not trip on S3 reads over a 1 ms p99: " + traffic(a));
  }

  /** One {@code upload_large} through the balancer: both instances answer some of its chunks. */
  private void uploadLargeChunksReachBoth(ServeChild a, ServeChild b, Haproxy lb) throws Exception {
    uploadLargeThroughBoth(a, b, lb, "spread");
  }

  /**
   * The same in {@code DUAL_S3_PRIMARY}, where DocShift assembles the chunks itself: the document
   * is whole in both stores and no chunk temporary is left. Then back to the Cloudinary-primary
   * mode the load runs in.
   */
  private void uploadLargeSpreadInS3Primary(
      ServeChild a, ServeChild b, Haproxy lb, StoreProbe stores) throws Exception {
    put(a, "{\"writeMode\": \"DUAL_S3_PRIMARY\", \"reason\": \"fleet test\"}");
    awaitTraffic(b, t -> writeMode(t).equals("DUAL_S3_PRIMARY"));
    Doc doc = Doc.raw("fleet/large-s3-primary");
    byte[] body = uploadLargeThroughBoth(a, b, lb, "s3-primary");
    assertThat(stores.s3(doc.path())).as("S3").isEqualTo(body);
    assertThat(stores.cloudinary(doc.path())).as("Cloudinary").isEqualTo(body);
    assertThat(stores.chunkTemporaries()).as("chunk temporaries").isEmpty();
    put(a, "{\"writeMode\": \"DUAL_CLOUDINARY_PRIMARY\", \"reason\": \"fleet test\"}");
    awaitTraffic(b, t -> writeMode(t).equals("DUAL_CLOUDINARY_PRIMARY"));
  }

  /**
   * Uploads {@code fleet/large-{name}} in 64 KiB chunks through the balancer (upload session {@code
   * name}); asserts the final answer and that both instances answered chunks. Returns the bytes
   * sent.
   */
  private byte[] uploadLargeThroughBoth(ServeChild a, ServeChild b, Haproxy lb, String name)
      throws Exception {
    double beforeA = uploads(a);
    double beforeB = uploads(b);
    Doc doc = Doc.raw("fleet/large-" + name);
    byte[] body = HistoryClient.payload(name, 1, 6 * 64 * 1024 + 100);
    HistoryClient.Reply reply =
        new HistoryClient(config.cloudinary()).uploadLarge(lb.url(), doc.publicId(), body, name);
    assertThat(reply.outcome()).as(reply.detail()).isEqualTo(HistoryOp.Outcome.OK);
    assertThat(uploads(a) - beforeA).as("chunks answered by a").isGreaterThan(0);
    assertThat(uploads(b) - beforeB).as("chunks answered by b").isGreaterThan(0);
    return body;
  }

  private static String writeMode(JsonNode traffic) {
    return traffic.path("effective").path("writeMode").asText();
  }

  /** Upload API requests this instance counted (each chunk of upload_large is one). */
  private double uploads(ServeChild serve) throws Exception {
    String text = admin(serve, "GET", "/metrics", null);
    double total = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith("docshift_requests_seconds_count{")
          && line.contains("operation=\"upload\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /**
   * Uploads {@link #SEEDED_PER_RESTART} documents to Cloudinary alone and queues a PUT repair for
   * each, for the fleet's repair workers to copy while {@code name} restarts.
   */
  private List<String> seedRepairs(Ledger ledger, String name) {
    HistoryClient direct = new HistoryClient(config.cloudinary());
    URI cloudinary = config.cloudinary().apiUrl();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < SEEDED_PER_RESTART; i++) {
      String id = "fleet/repair-" + name + "-" + i;
      byte[] body = HistoryClient.payload("repair-" + name, i, 5_000);
      assertThat(direct.upload(cloudinary, id, body, true).outcome())
          .isEqualTo(HistoryOp.Outcome.OK);
      ledger
          .outbox()
          .enqueue(
              new LedgerKey(config.cloudinary().cloudName(), "raw", "upload", id),
              RepairOperation.PUT,
              "fleet test");
      ids.add(id);
    }
    return ids;
  }

  /**
   * Waits (30 s at most) for the running instances to empty the outbox, judged on one snapshot of
   * it. {@code dueNow} first makes rows due that a killed writer left waiting for their grace
   * period; without it the intents of uploads the load has in flight are left out (the load keeps
   * adding and clearing them, so the whole outbox is rarely empty at the instant it is read).
   */
  private static void awaitOutboxEmpty(StoreProbe stores, boolean dueNow) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> rows = stores.outboxRows(!dueNow);
    while (!rows.isEmpty() && System.nanoTime() < deadline) {
      if (dueNow) {
        stores.outboxDueNow();
      }
      TimeUnit.MILLISECONDS.sleep(200);
      rows = stores.outboxRows(!dueNow);
    }
    assertThat(rows).as("outbox after the fleet's repairs").isEmpty();
  }

  /** Rows the repair workers of every instance (restarted ones too) report as applied. */
  private int appliedInLogs() throws Exception {
    int applied = 0;
    for (String name : ports.keySet()) {
      Matcher m = APPLIED.matcher(Files.readString(dir.resolve("serve-" + name + ".log")));
      while (m.find()) {
        applied += Integer.parseInt(m.group(1));
      }
    }
    return applied;
  }

  private JsonNode traffic(ServeChild serve) throws Exception {
    return JSON.readTree(admin(serve, "GET", "/admin/traffic", null));
  }

  /** Polls {@code serve}'s traffic state (10 s at most); returns when {@code seen} held. */
  private long awaitTraffic(ServeChild serve, Predicate<JsonNode> seen) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonNode last = traffic(serve);
    while (!seen.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("traffic state not reached within 10 s: " + last);
      }
      TimeUnit.MILLISECONDS.sleep(20);
      last = traffic(serve);
    }
    return System.nanoTime();
  }

  private void put(ServeChild serve, String body) throws Exception {
    admin(serve, "PUT", "/admin/traffic", body);
  }

  private void post(ServeChild serve, String path) throws Exception {
    admin(serve, "POST", path, "{\"reason\": \"fleet test\"}");
  }

  private String admin(ServeChild serve, String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(serve.adminUrl().resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + config.admin().token())
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private static int freePort() {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
