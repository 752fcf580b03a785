package io.docshift.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.docshift.core.metrics.CopyOnReadOutcome;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Copy on read end to end, against the real emulator, S3Proxy and H2 (WireMock in front of the
 * emulator only delays a copy's download): a read at weight 0 of a document the backfill listed but
 * has not copied ends with the object in S3 and the row {@code verified}, without the client
 * waiting for it; a client that leaves mid-body, bytes that differ from Cloudinary's etag, and a
 * destroy while the copy runs never leave a {@code verified} row for bytes S3 does not hold; off by
 * default, and over the byte budget a copy is dropped and counted.
 */
class CopyOnReadFlowTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Duration WAIT = Duration.ofSeconds(30);

  /** The copy's download waits this long in the relay: longer than any client read here. */
  static final int COPY_DELAY_MILLIS = 3_000;

  static WireMockServer relay;
  static ReadPathFixture fx;
  static ReadPathFixture off;
  static ReadPathFixture tight;

  @BeforeAll
  static void start() {
    relay = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    relay.start();
    relay.stubFor(
        any(anyUrl())
            .atPriority(10)
            .willReturn(aResponse().proxiedFrom(CLD.emulator().baseUrl().toString())));
    fx =
        new ReadPathFixture(
            CLD.emulator(),
            S3.s3(),
            S3.s3().endpoint(),
            // No byte cap here, so one test's copy never spends the next one's budget.
            Map.of(
                "read.copyOnRead.enabled",
                "true",
                "read.copyOnRead.maxBytesPerSecond",
                "0",
                "cloudinary.deliveryUrl",
                relay.baseUrl() + "/{cloudName}"));
    off = new ReadPathFixture(CLD.emulator(), S3.s3(), S3.s3().endpoint(), Map.of());
    tight =
        new ReadPathFixture(
            CLD.emulator(),
            S3.s3(),
            S3.s3().endpoint(),
            Map.of("read.copyOnRead.enabled", "true", "read.copyOnRead.maxBytesPerSecond", "1"));
  }

  @AfterAll
  static void stop() {
    try {
      fx.close();
      off.close();
      tight.close();
    } finally {
      relay.stop();
    }
  }

  @Test
  void aReadAtWeightZeroCopiesTheOriginalIntoS3WithoutTheClientWaitingForIt() throws Exception {
    byte[] doc = ReadPathTest.pdf(300_000);
    StoredAsset a = listed(fx, "docs/cor/hot.pdf", doc);
    delayCopy("hot\\.pdf");
    double copied = counted(fx, CopyOnReadOutcome.COPIED);
    long verified = verifiedCount(fx);

    HttpResponse<byte[]> r = fetch(fx, a);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(doc);
    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
    // The client has its whole body while the copy's download is still held in the relay.
    assertThat(row(fx, a).state()).isEqualTo(S3State.ABSENT);
    assertThat(s3Bytes(fx, a)).isEmpty();
    Eventually.until(WAIT, () -> row(fx, a).state() == S3State.VERIFIED, "verified");
    // Counted once the copy returns, just after it settled the row: wait for it too.
    Eventually.until(
        WAIT, () -> counted(fx, CopyOnReadOutcome.COPIED) == copied + 1, "the copy counted");
    assertThat(counted(fx, CopyOnReadOutcome.COPIED)).isEqualTo(copied + 1);
    assertHeldAndVerified(fx, a, doc);
    // The migration progress counts it (GET /admin/migration reads these counts).
    assertThat(verifiedCount(fx)).isEqualTo(verified + 1);
  }

  /** Requests that ended as the client's doing (a client that left mid-body is one). */
  static double clientErrors(ReadPathFixture f) {
    return f
        .registry
        .find(MicrometerMetricsRecorder.REQUESTS)
        .tag("outcome", "client_error")
        .timers()
        .stream()
        .mapToDouble(t -> t.count())
        .sum();
  }

  static long verifiedCount(ReadPathFixture f) {
    return f.ledger.documents().countByState().getOrDefault(S3State.VERIFIED, 0L);
  }

  @Test
  void aClientThatLeavesMidBodyLeavesNoVerifiedRowForBytesS3DoesNotHold() throws Exception {
    // More than the socket buffers between DocShift and the client hold, so the body is cut.
    byte[] doc = TestBodies.random(16 << 20, 16);
    StoredAsset a = listed(fx, "docs/cor/left.bin", doc);
    double cut = clientErrors(fx);
    try (Socket socket = new Socket("127.0.0.1", fx.proxy.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path(a) + " HTTP/1.1\r\nHost: docshift\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] some = in.readNBytes(64 << 10);
      assertThat(some).hasSize(64 << 10);
    }
    Eventually.until(WAIT, () -> clientErrors(fx) == cut + 1, "the read counted as cut");
    // The document is still hot: the copy is made from a download of its own, whole.
    Eventually.until(WAIT, () -> row(fx, a).state() == S3State.VERIFIED, "verified");
    assertHeldAndVerified(fx, a, doc);
  }

  @Test
  void bytesThatDifferFromCloudinarysEtagAreNeverVerified() throws Exception {
    byte[] doc = ReadPathTest.pdf(200_000);
    StoredAsset a = listed(fx, "docs/cor/damaged.pdf", doc);
    byte[] damaged = doc.clone();
    damaged[damaged.length / 2] ^= 0x5a;
    flipEmulatorByte(a, damaged.length / 2, 0x5a);
    double mismatches = counted(fx, CopyOnReadOutcome.MISMATCH);

    HttpResponse<byte[]> r = fetch(fx, a);

    assertThat(r.body()).isEqualTo(damaged); // Cloudinary's answer, passed on as it is
    Eventually.until(
        WAIT, () -> counted(fx, CopyOnReadOutcome.MISMATCH) == mismatches + 1, "mismatch");
    DocumentRecord row = row(fx, a);
    assertThat(row.state()).isEqualTo(S3State.MISMATCH);
    // The copy streams with Cloudinary's etag as the put's Content-MD5: S3 refused the bytes.
    assertThat(s3Bytes(fx, a)).isEmpty();
    assertThat(row.s3().sha256()).isNull();
  }

  @Test
  void aDestroyWhileTheCopyRunsKeepsTheTombstoneAndLeavesS3Empty() throws Exception {
    byte[] doc = ReadPathTest.pdf(150_000);
    StoredAsset a = listed(fx, "docs/cor/destroyed.pdf", doc);
    delayCopy("destroyed\\.pdf");
    double skipped = counted(fx, CopyOnReadOutcome.SKIPPED);

    assertThat(fetch(fx, a).body()).isEqualTo(doc);
    Eventually.until(
        WAIT,
        () -> relay.findAll(getRequestedFor(urlPathMatching(".*/destroyed\\.pdf"))).size() == 2,
        "the copy's download started");
    // The destroy lands while the copy's download is held: as DocShift's destroy leaves it.
    LedgerKey key = EmulatedAssets.ledgerKey(a);
    fx.ledger.documents().markDeleted(key, "destroyed through DocShift");

    Eventually.until(
        WAIT, () -> counted(fx, CopyOnReadOutcome.SKIPPED) == skipped + 1, "copy settled");
    assertThat(row(fx, a).state()).isEqualTo(S3State.DELETED);
    assertThat(s3Bytes(fx, a)).isEmpty();
  }

  @Test
  void aDocumentTheLedgerHasNeverSeenIsSkippedAndNoRowIsWritten() throws Exception {
    byte[] doc = ReadPathTest.pdf(50_000);
    StoredAsset a = fx.seed("raw", "upload", "docs/cor/unknown.pdf", doc);
    double skipped = counted(fx, CopyOnReadOutcome.SKIPPED);

    assertThat(fetch(fx, a).body()).isEqualTo(doc);

    Eventually.until(WAIT, () -> counted(fx, CopyOnReadOutcome.SKIPPED) == skipped + 1, "skipped");
    assertThat(fx.ledger.documents().find(EmulatedAssets.ledgerKey(a))).isEmpty();
    assertThat(s3Bytes(fx, a)).isEmpty();
  }

  @Test
  void offByDefaultAReadChangesNeitherS3NorTheLedger() throws Exception {
    assertThat(off.config.copyOnRead().enabled()).isFalse();
    byte[] doc = ReadPathTest.pdf(50_000);
    StoredAsset a = listed(off, "docs/cor/off.pdf", doc);
    DocumentRecord before = row(off, a);

    assertThat(fetch(off, a).body()).isEqualTo(doc);

    // Off, the read path has no listener and no copy thread: nothing can happen later.
    for (CopyOnReadOutcome outcome : CopyOnReadOutcome.values()) {
      assertThat(counted(off, outcome)).as(outcome.tag()).isZero();
    }
    assertThat(row(off, a)).isEqualTo(before);
    assertThat(s3Bytes(off, a)).isEmpty();
  }

  @Test
  void aCopyOverTheByteBudgetIsDroppedAndCounted() throws Exception {
    byte[] first = ReadPathTest.pdf(40_000);
    byte[] second = TestBodies.random(40_000, 2);
    StoredAsset a = listed(tight, "docs/cor/budget-1.pdf", first);
    StoredAsset b = listed(tight, "docs/cor/budget-2.bin", second);

    assertThat(fetch(tight, a).body()).isEqualTo(first);
    // A full bucket lets one document through and leaves the budget in debt for hours.
    Eventually.until(WAIT, () -> row(tight, a).state() == S3State.VERIFIED, "first copied");
    assertThat(fetch(tight, b).body()).isEqualTo(second);

    Eventually.until(WAIT, () -> counted(tight, CopyOnReadOutcome.DROPPED) == 1, "second dropped");
    assertThat(row(tight, b).state()).isEqualTo(S3State.ABSENT);
    assertThat(s3Bytes(tight, b)).isEmpty();
    assertHeldAndVerified(tight, a, first);
  }

  /** Seeded in Cloudinary and listed in the ledger (as the backfill's enumeration leaves it). */
  static StoredAsset listed(ReadPathFixture f, String publicId, byte[] bytes) {
    StoredAsset a = f.seed("raw", "upload", publicId, bytes);
    EmulatedAssets.list(f.ledger, a);
    return a;
  }

  /** The first GET of the name passes at once (the client's), the next waits (the copy's). */
  static void delayCopy(String nameRegex) {
    String scenario = "copy of " + nameRegex;
    String cloudinary = CLD.emulator().baseUrl().toString();
    relay.stubFor(
        get(urlPathMatching(".*/" + nameRegex))
            .atPriority(1)
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().proxiedFrom(cloudinary))
            .willSetStateTo("copying"));
    relay.stubFor(
        get(urlPathMatching(".*/" + nameRegex))
            .atPriority(1)
            .inScenario(scenario)
            .whenScenarioStateIs("copying")
            .willReturn(aResponse().proxiedFrom(cloudinary).withFixedDelay(COPY_DELAY_MILLIS)));
  }

  static String path(StoredAsset a) {
    return "/demo/raw/upload/v" + a.version() + "/" + a.publicId();
  }

  static HttpResponse<byte[]> fetch(ReadPathFixture f, StoredAsset a) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(f.url(path(a))).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static DocumentRecord row(ReadPathFixture f, StoredAsset a) {
    return f.ledger.documents().find(EmulatedAssets.ledgerKey(a)).orElseThrow();
  }

  static double counted(ReadPathFixture f, CopyOnReadOutcome outcome) {
    return f.registry
        .get(MicrometerMetricsRecorder.COPY_ON_READ)
        .tag("outcome", outcome.tag())
        .counter()
        .count();
  }

  /** The object's bytes in S3, empty when there is none. */
  static Optional<byte[]> s3Bytes(ReadPathFixture f, StoredAsset a) throws Exception {
    try {
      DocumentResponse r =
          f.s3Writer.get(ReadPathFixture.key(a), Optional.empty()).get(30, TimeUnit.SECONDS);
      return Optional.of(SlowSubscriber.collect(r.body()).get(30, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreException s && s.outcome() == Outcome.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** S3 holds exactly {@code doc}, and the verified row records its digests and the etag. */
  static void assertHeldAndVerified(ReadPathFixture f, StoredAsset a, byte[] doc) throws Exception {
    DocumentRecord row = row(f, a);
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().sha256()).isEqualTo(TestBodies.sha256Hex(doc));
    assertThat(row.s3().md5()).isEqualTo(a.etag());
    assertThat(s3Bytes(f, a).map(TestBodies::sha256Hex)).hasValue(TestBodies.sha256Hex(doc));
  }

  /** Damages the original in the emulator's files, keeping its length and its recorded etag. */
  static void flipEmulatorByte(StoredAsset a, long at, int mask) throws Exception {
    Path bin =
        CLD.emulator()
            .config()
            .dataDir()
            .resolve("assets")
            .resolve(a.resourceType())
            .resolve(a.type())
            .resolve(URLEncoder.encode(a.publicId(), StandardCharsets.UTF_8) + ".bin");
    try (RandomAccessFile file = new RandomAccessFile(bin.toFile(), "rw")) {
      file.seek(at);
      int b = file.read();
      file.seek(at);
      file.write(b ^ mask);
    }
  }
}
