package io.docshift.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.docshift.proxy.RelayedStores.assertUntouched;
import static io.docshift.proxy.RelayedStores.fetch;
import static io.docshift.proxy.RelayedStores.seeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.ledger.RepairOperation;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.TestBodies;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S3 failing after the response started: a relay in front of the real S3Proxy resets (or closes)
 * the connection after N body bytes, and the same client response continues from the real emulator
 * with a {@code Range} request. The client must get the complete, identical body with the same
 * headers, counted as a spliced failover and queued for repair; a Cloudinary that cannot continue
 * (down, a 200, another part, another version, other bytes; WireMock stands in for it there) must
 * leave the client with a cut body, never a wrong one. Both stores and the ledger row are left as
 * they were.
 */
class MidBodyFailoverTest {
  @RegisterExtension static final RelayedStores STORES = new RelayedStores();

  static final HttpClient HTTP = RelayedStores.HTTP;
  static final Duration WAIT = Duration.ofSeconds(10);
  static CutRelay relay;
  static CutRelay cloudinaryRelay;
  static WireMockServer cloudinaryFaults;
  static ReadPathFixture fx;
  static ReadPathFixture faulty;

  @BeforeAll
  static void start() throws Exception {
    relay = STORES.opened(new CutRelay(STORES.s3().endpoint()));
    cloudinaryRelay = STORES.opened(new CutRelay(STORES.emulator().baseUrl()));
    cloudinaryFaults = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    cloudinaryFaults.start();
    STORES.opened(cloudinaryFaults::stop);
    // Everything not stubbed by a test reaches the real emulator (through a relay that can flip a
    // bit of an answer).
    cloudinaryFaults.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.any(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
            .atPriority(10)
            .willReturn(aResponse().proxiedFrom(cloudinaryRelay.url().toString())));
    fx = STORES.proxy(relay.url(), Map.of());
    faulty =
        STORES.proxy(
            relay.url(),
            Map.of("cloudinary.deliveryUrl", cloudinaryFaults.baseUrl() + "/{cloudName}"));
  }

  @Test
  void aResetAtAnyOffsetIsContinuedFromCloudinaryWithTheSameBodyAndHeaders() throws Exception {
    byte[] doc = ReadPathTest.pdf(300_000);
    StoredAsset a = seeded(fx, "docs/failover/reset.pdf", doc);
    String path = "/demo/raw/upload/v1/docs/failover/reset.pdf";
    double s3Start = requests(fx, "s3");
    HttpResponse<byte[]> whole = fetch(fx, path);
    assertThat(whole.body()).isEqualTo(doc);
    assertThat(whole.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
    // A request is counted when the store's body ends, which can be just after the client read the
    // last of its announced bytes: without this wait the whole read's S3 success could land in the
    // first cut's window below and look like a spliced read counted as S3's.
    Eventually.until(WAIT, () -> requests(fx, "s3") - s3Start == 1, "whole read counted");
    for (long offset : new long[] {1_000, doc.length / 2, doc.length - 1}) {
      double before = spliced(fx);
      double s3Before = requests(fx, "s3");
      double cloudinaryBefore = requests(fx, "cloudinary");
      int cutsBefore = relay.cuts();
      relay.cutNext("reset.pdf", offset, CutRelay.How.RESET);
      HttpResponse<byte[]> r = fetch(fx, path);
      assertThat(relay.cuts()).as("cut at %d", offset).isEqualTo(cutsBefore + 1);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(TestBodies.sha256Hex(r.body())).as("at %d", offset).isEqualTo(sha(doc));
      assertThat(headers(r.headers())).as("at %d", offset).isEqualTo(headers(whole.headers()));
      // Counted once the continuation's end is known, just after the client got it.
      Eventually.until(WAIT, () -> spliced(fx) - before == 1, "spliced at " + offset);
      // The read Cloudinary finished counts as Cloudinary's, so auto-revert sees only S3's fault.
      Eventually.until(
          WAIT, () -> requests(fx, "cloudinary") - cloudinaryBefore == 1, "counted at " + offset);
      assertThat(requests(fx, "s3")).as("no S3 success at %d", offset).isEqualTo(s3Before);
    }
    assertUntouched(fx, a, doc);
    Eventually.until(
        WAIT,
        () -> fx.ledger.outbox().queued(EmulatedAssets.ledgerKey(a), RepairOperation.PUT),
        "repair queued");
  }

  /**
   * The case a user saw: eight readers at weight 100, S3 goes away while their bodies stream. Each
   * client holds its read after the first MiB, so the S3 bodies are paused mid-way when S3 goes (32
   * MiB is more than the sockets and buffers in between can hold).
   */
  @Test
  void readsInFlightWhenS3GoesAwayAllCompleteWhole() throws Exception {
    byte[] doc = TestBodies.random(32 << 20, 8);
    seeded(fx, "docs/failover/outage.bin", doc);
    double before = spliced(fx);
    List<InputStream> bodies = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        HttpResponse<InputStream> r =
            HTTP.send(
                HttpRequest.newBuilder(fx.url("/demo/raw/upload/v1/docs/failover/outage.bin"))
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
        bodies.add(r.body());
        assertThat(r.body().readNBytes(1 << 20)).isEqualTo(Arrays.copyOf(doc, 1 << 20));
      }
      relay.down();
      for (InputStream body : bodies) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(doc, 0, 1 << 20);
        long length = 1 << 20;
        byte[] buffer = new byte[64 * 1024];
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
          sha.update(buffer, 0, n);
          length += n;
        }
        assertThat(length).isEqualTo(doc.length);
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(sha(doc));
      }
      Eventually.until(WAIT, () -> spliced(fx) - before == 8, "8 reads continued from Cloudinary");
      HttpResponse<byte[]> after = fetch(fx, "/demo/raw/upload/v1/docs/failover/outage.bin");
      assertThat(after.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
      assertThat(sha(after.body())).isEqualTo(sha(doc));
    } finally {
      relay.heal();
      for (InputStream body : bodies) {
        body.close();
      }
    }
  }

  @Test
  void aBodyS3EndsEarlyIsContinuedToo() throws Exception {
    byte[] doc = ReadPathTest.pdf(120_000);
    StoredAsset a = seeded(fx, "docs/failover/short.pdf", doc);
    relay.cutNext("short.pdf", 70_000, CutRelay.How.CLOSE);
    HttpResponse<byte[]> r = fetch(fx, "/demo/raw/upload/v1/docs/failover/short.pdf");
    assertThat(r.body()).isEqualTo(doc);
    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
    assertUntouched(fx, a, doc);
  }

  @Test
  void oneAndSixteenMebibyteBodiesAreSplicedWhole() throws Exception {
    for (int size : new int[] {1 << 20, 16 << 20}) {
      byte[] doc = TestBodies.random(size, size);
      String id = "docs/failover/big-" + size + ".bin";
      StoredAsset a = seeded(fx, id, doc);
      relay.cutNext("big-" + size, size / 3, CutRelay.How.RESET);
      HttpResponse<byte[]> r = fetch(fx, "/demo/raw/upload/v1/" + id);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(TestBodies.sha256Hex(r.body())).as("%d bytes", size).isEqualTo(sha(doc));
      assertUntouched(fx, a, doc);
    }
  }

  @Test
  void aClientRangeContinuesAtTheRightOffset() throws Exception {
    byte[] doc = ReadPathTest.pdf(200_000);
    seeded(fx, "docs/failover/range.pdf", doc);
    relay.cutNext("range.pdf", 30_000, CutRelay.How.RESET);
    int cutsBefore = relay.cuts();
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(fx.url("/demo/raw/upload/v1/docs/failover/range.pdf"))
                .header("Range", "bytes=10000-109999")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(relay.cuts()).isEqualTo(cutsBefore + 1);
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 10000-109999/200000");
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(doc, 10_000, 110_000));
  }

  @Test
  void aCloudinaryThatCannotContinueLeavesTheClientACutBody() throws Exception {
    byte[] doc = ReadPathTest.pdf(150_000);
    String md5 = TestBodies.md5Hex(doc);
    Map<String, Answer> answers = new TreeMap<>();
    answers.put(
        "down", new Answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), "failed"));
    answers.put(
        "garbage", new Answer(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE), "failed"));
    answers.put("whole", new Answer(answer(200, md5, null, doc), "refused"));
    // No continuation starts at byte 1: S3's first buffers were all delivered before the cut.
    answers.put(
        "part", new Answer(answer(206, md5, "bytes 1-149999/150000", part(doc, 1)), "refused"));
    for (Map.Entry<String, Answer> e : answers.entrySet()) {
      String name = "cld-" + e.getKey() + ".pdf";
      cloudinaryFaults.stubFor(
          get(urlPathMatching(".*/" + name)).atPriority(1).willReturn(e.getValue().http()));
      StoredAsset a = seeded(faulty, "docs/failover/" + name, doc);
      cutAndExpectAbort(name, e.getValue().outcome());
      assertUntouched(faulty, a, doc);
    }
    Eventually.until(
        WAIT, () -> faulty.proxy.server().openConnections() == 0, "client connections closed");
  }

  @Test
  void aContinuationOfOtherBytesUnderTheSameEtagAbortsAndLeavesTheRowVerified() throws Exception {
    byte[] doc = ReadPathTest.pdf(150_000);
    StoredAsset a = seeded(faulty, "docs/failover/cld-flipped.pdf", doc);
    cloudinaryRelay.cutNext("cld-flipped.pdf", 60_000, CutRelay.How.FLIP);
    cutAndExpectAbort("cld-flipped.pdf", "mismatch");
    assertUntouched(faulty, a, doc);
  }

  @Test
  void aNewerVersionInCloudinaryIsNotSplicedIn() throws Exception {
    byte[] doc = ReadPathTest.pdf(150_000);
    StoredAsset a = seeded(faulty, "docs/failover/cld-newer.pdf", doc);
    byte[] newer = doc.clone();
    newer[100_000] ^= 1;
    faulty.seed("raw", "upload", "docs/failover/cld-newer.pdf", newer);
    cutAndExpectAbort("cld-newer.pdf", "refused");
    assertUntouched(faulty, a, doc);
  }

  /** Cuts S3's answer to {@code name} after 50 000 body bytes: the client must see a cut body. */
  private static void cutAndExpectAbort(String name, String outcome) throws Exception {
    double before = failovers(faulty, outcome);
    int cutsBefore = relay.cuts();
    relay.cutNext(name, 50_000, CutRelay.How.RESET);
    assertThatThrownBy(() -> fetch(faulty, "/demo/raw/upload/v1/docs/failover/" + name))
        .as(name)
        .isInstanceOf(IOException.class);
    assertThat(relay.cuts()).as(name).isEqualTo(cutsBefore + 1);
    Eventually.until(
        WAIT, () -> failovers(faulty, outcome) > before, name + " counted as " + outcome);
    assertThat(spliced(faulty)).as(name).isZero();
  }

  /** What WireMock answers in Cloudinary's place, and the failover outcome it must cause. */
  private record Answer(ResponseDefinitionBuilder http, String outcome) {}

  private static ResponseDefinitionBuilder answer(
      int status, String md5, String contentRange, byte[] body) {
    var b =
        aResponse()
            .withStatus(status)
            .withHeader("ETag", "\"" + md5 + "\"")
            .withHeader("Content-Type", "application/pdf")
            .withBody(body);
    return contentRange == null ? b : b.withHeader("Content-Range", contentRange);
  }

  private static byte[] part(byte[] doc, int from) {
    return Arrays.copyOfRange(doc, from, doc.length);
  }

  private static Map<String, List<String>> headers(HttpHeaders h) {
    return RelayedStores.headers(h);
  }

  private static double spliced(ReadPathFixture f) {
    return failovers(f, "spliced");
  }

  /** Successful GETs counted for {@code backend}. */
  private static double requests(ReadPathFixture f, String backend) {
    return f
        .registry
        .find(MicrometerMetricsRecorder.REQUESTS)
        .tag("backend", backend)
        .tag("operation", "get")
        .tag("outcome", "success")
        .timers()
        .stream()
        .mapToDouble(t -> t.count())
        .sum();
  }

  private static double failovers(ReadPathFixture f, String outcome) {
    return f
        .registry
        .find(MicrometerMetricsRecorder.FAILOVERS)
        .tag("outcome", outcome)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static String sha(byte[] bytes) {
    return TestBodies.sha256Hex(bytes);
  }
}
