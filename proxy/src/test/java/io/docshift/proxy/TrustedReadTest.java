package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.StoreSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.ledger.CloudinaryAsset;
import io.docshift.core.ledger.LedgerKey;
import io.docshift.core.ledger.RepairOperation;
import io.docshift.core.ledger.RepairTask;
import io.docshift.core.ledger.S3State;
import io.docshift.core.ledger.Transition;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.core.revert.AutoRevertSettings;
import io.docshift.core.revert.TripRule;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.cloudinary.CloudinarySigner;
import io.docshift.core.traffic.TrafficState;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.sandbox.junit.CloudinaryEmulatorExtension;
import io.docshift.sandbox.junit.EmbeddedS3Extension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * What the read path may be trusted with, against the emulator, S3Proxy and H2: a document only S3
 * holds survives an auto-revert; S3 refusing DocShift's credentials is an S3 fault (fallback,
 * auto-revert); a body S3 damaged on disk is never completed as a success, stops being read from S3
 * and is queued for repair.
 */
class TrustedReadTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final AutoRevertSettings THREE_IN_A_ROW =
      new AutoRevertSettings(true, false, Duration.ofSeconds(30), 0, 1_000, Duration.ZERO, 3);

  @Test
  void anS3OnlyUploadIsStillServedAfterAutoRevertTripped() throws Exception {
    try (ReadPathFixture fx =
        ReadPathFixture.withAutoRevert(
            CLD.emulator(),
            S3.s3(),
            S3.s3().endpoint(),
            Map.of(),
            new TrafficState(100, WriteMode.S3_ONLY, 0),
            THREE_IN_A_ROW)) {
      byte[] pdf = ReadPathTest.pdf(40_000);
      HttpResponse<String> upload = upload(fx, "trust/s3-only.pdf", pdf);
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
      String path = "/demo/raw/upload/trust/s3-only.pdf";
      assertThat(cloudinaryStatus(path)).as("Cloudinary never saw it").isEqualTo(404);

      for (int i = 0; i < 3; i++) {
        fx.control.guard().recordS3(true, Duration.ofMillis(1));
      }
      assertThat(fx.control.state().trip().map(t -> t.rule()))
          .contains(TripRule.CONSECUTIVE_FAILURES);
      assertThat(fx.control.current().s3ReadPercent()).isZero();

      HttpResponse<byte[]> get = fetch(fx, path, "GET");
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(pdf);
      assertThat(get.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
      HttpResponse<byte[]> head = fetch(fx, path, "HEAD");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.headers().firstValue("Content-Length")).hasValue("" + pdf.length);
      assertThat(fetch(fx, "/demo/raw/upload/trust/never-written.pdf", "GET").statusCode())
          .isEqualTo(404);
      LedgerKey key = new LedgerKey("demo", "raw", "upload", "trust/s3-only.pdf");
      assertThat(fx.ledger.documents().find(key).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
      assertThat(fx.ledger.outbox().stats().depth())
          .as("no repair from Cloudinary queued: it would tombstone the only copy")
          .isZero();
    }
  }

  @Test
  void s3RefusingOurCredentialsFallsBackAndTripsAutoRevert() throws Exception {
    try (ReadPathFixture fx =
        ReadPathFixture.withAutoRevert(
            CLD.emulator(),
            S3.s3(),
            S3.s3().endpoint(),
            Map.of("s3.secretKey", "not-the-secret"),
            new TrafficState(100, WriteMode.DUAL_CLOUDINARY_PRIMARY, 0),
            THREE_IN_A_ROW)) {
      byte[] pdf = ReadPathTest.pdf(30_000);
      for (int i = 0; i < 3; i++) {
        assertThat(fx.control.state().tripped()).as("tripped before read " + i).isFalse();
        StoredAsset a = fx.seed("raw", "upload", "trust/auth-" + i + ".pdf", pdf);
        fx.copyToS3(a, pdf, "application/pdf");
        HttpResponse<byte[]> r = fetch(fx, "/demo/raw/upload/trust/auth-" + i + ".pdf", "GET");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(pdf);
        assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
      }
      assertThat(
              fx.registry
                  .find(MicrometerMetricsRecorder.FALLBACKS)
                  .tag("cause", "s3_auth")
                  .counter()
                  .count())
          .isEqualTo(3);
      assertThat(fx.control.state().trip().map(t -> t.rule()))
          .contains(TripRule.CONSECUTIVE_FAILURES);
      assertThat(fx.control.current().s3ReadPercent()).isZero();
      FallbackTest.awaitRepairs(fx, 3);
    }
  }

  @Test
  void aFlippedByteInS3AbortsTheTransferMarksMismatchAndQueuesARepair() throws Exception {
    try (ReadPathFixture fx =
        new ReadPathFixture(CLD.emulator(), S3.s3(), S3.s3().endpoint(), Map.of())) {
      fx.weight(100);
      byte[] pdf = ReadPathTest.pdf(300_000);
      StoredAsset a = fx.seed("raw", "upload", "trust/flipped.pdf", pdf);
      fx.copyToS3(a, pdf, "application/pdf");
      String path = "/demo/raw/upload/trust/flipped.pdf";
      HttpResponse<byte[]> intact = fetch(fx, path, "GET");
      assertThat(intact.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
      assertThat(intact.body()).isEqualTo(pdf);

      flipOneByte(fx, "trust/flipped.pdf", pdf.length / 2);
      byte[] raw = RawHttp.exchange(fx.proxy.port(), RawHttp.ascii(getRequest(path)));
      String head = headOf(raw);
      assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("x-docshift-backend: s3");
      assertThat(raw.length - head.length() - 4)
          .as("the client never receives the whole announced body")
          .isLessThan(pdf.length);

      LedgerKey key = ReadPathFixture.ledgerKey(a);
      await(
          () -> fx.ledger.documents().find(key).orElseThrow().state() == S3State.MISMATCH,
          "ledger row marked mismatch");
      await(() -> fx.ledger.outbox().stats().depth() == 1, "repair queued");
      assertThat(outboxRows(fx))
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.key()).isEqualTo(key);
                assertThat(t.operation()).isEqualTo(RepairOperation.PUT);
              });

      HttpResponse<byte[]> next = fetch(fx, path, "GET");
      assertThat(next.statusCode()).isEqualTo(200);
      assertThat(next.body()).isEqualTo(pdf);
      assertThat(next.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
      assertThat(cloudinaryBody(path)).as("Cloudinary untouched").isEqualTo(pdf);
      assertThat(s3Body(fx, "trust/flipped.pdf"))
          .as("S3 still damaged until the repair runs")
          .isNotEqualTo(pdf);
    }
  }

  @Test
  void aDocumentWhoseCloudinaryCopyIsStillQueuedIsServedFromS3AtWeightZero() throws Exception {
    try (ReadPathFixture fx =
        new ReadPathFixture(CLD.emulator(), S3.s3(), S3.s3().endpoint(), Map.of())) {
      fx.traffic.set(new TrafficState(0, WriteMode.DUAL_CLOUDINARY_PRIMARY, 0));
      byte[] pdf = ReadPathTest.pdf(20_000);
      LedgerKey behind = onlyInS3(fx, "trust/cld-put-queued.pdf", pdf);
      fx.ledger.outbox().enqueue(behind, RepairOperation.CLOUDINARY_PUT, "secondary failed");
      LedgerKey gone = onlyInS3(fx, "trust/deleted-at-cloudinary.pdf", pdf);

      HttpResponse<byte[]> queued = fetch(fx, "/demo/raw/upload/trust/cld-put-queued.pdf", "GET");
      assertThat(queued.statusCode()).isEqualTo(200);
      assertThat(queued.body()).isEqualTo(pdf);
      assertThat(queued.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
      HttpResponse<byte[]> stands =
          fetch(fx, "/demo/raw/upload/trust/deleted-at-cloudinary.pdf", "GET");
      assertThat(stands.statusCode())
          .as("Cloudinary is the primary and has no such document: its 404 stands")
          .isEqualTo(404);
      assertThat(fx.ledger.documents().find(gone).orElseThrow().state())
          .isEqualTo(S3State.VERIFIED);
      assertThat(s3Body(fx, "trust/cld-put-queued.pdf")).isEqualTo(pdf);
    }
  }

  @Test
  void anS3OnlyDocumentS3CannotServeIsAnUpstreamFailureNeverA404() throws Exception {
    try (ReadPathFixture fx =
        new ReadPathFixture(
            CLD.emulator(),
            S3.s3(),
            S3.s3().endpoint(),
            Map.of("s3.secretKey", "not-the-secret"))) {
      fx.traffic.set(new TrafficState(100, WriteMode.S3_ONLY, 0));
      byte[] pdf = ReadPathTest.pdf(20_000);
      LedgerKey key = onlyInS3(fx, "trust/s3-refuses.pdf", pdf);

      HttpResponse<byte[]> r = fetch(fx, "/demo/raw/upload/trust/s3-refuses.pdf", "GET");
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
      assertThat(fx.ledger.documents().find(key).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
      assertThat(fx.ledger.outbox().stats().depth())
          .as("no repair from Cloudinary: it would tombstone the only copy")
          .isZero();
      assertThat(s3Body(fx, "trust/s3-refuses.pdf")).isEqualTo(pdf);
    }
  }

  // ---- helpers ----

  static HttpResponse<byte[]> fetch(ReadPathFixture fx, String path, String method)
      throws Exception {
    return FallbackTest.fetch(fx, path, method);
  }

  /** A signed multipart upload through the proxy, as the Cloudinary SDKs send it. */
  static HttpResponse<String> upload(ReadPathFixture fx, String publicId, byte[] bytes)
      throws Exception {
    Map<String, String> params = new TreeMap<>();
    params.put("public_id", publicId);
    params.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
    CloudinarySigner signer =
        CloudinarySigner.of(StoreSettings.cloudinaryAccount(fx.config.cloudinary()));
    params.put("signature", signer.signParams(params));
    params.put("api_key", CloudinaryEmulatorExtension.API_KEY);
    String boundary = "trust-boundary-7d1";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> p : params.entrySet()) {
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + p.getKey()
                  + "\"\r\n\r\n"
                  + p.getValue()
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"doc.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(bytes);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(fx.url("/v1_1/demo/raw/upload"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int cloudinaryStatus(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(CLD.emulator().baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static byte[] cloudinaryBody(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(CLD.emulator().baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .body();
  }

  /**
   * A raw document as an S3-primary write leaves it: in S3 and verified in the ledger, never in
   * Cloudinary.
   */
  static LedgerKey onlyInS3(ReadPathFixture fx, String publicId, byte[] bytes) throws Exception {
    String md5 = ReadPathFixture.hex("MD5", bytes);
    String sha = ReadPathFixture.hex("SHA-256", bytes);
    long version = 1_700_000_000L;
    DocumentKey key = DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, publicId, null);
    fx.s3Writer
        .put(
            key,
            new PutRequest(
                bytes.length,
                "application/pdf",
                Optional.of(md5),
                Optional.of(sha),
                OptionalLong.of(version),
                AsyncRequestBody.fromBytes(bytes)))
        .get(30, TimeUnit.SECONDS);
    LedgerKey ledgerKey = new LedgerKey("demo", "raw", "upload", publicId);
    assertThat(
            fx.ledger
                .documents()
                .recordWrite(
                    new CloudinaryAsset(ledgerKey, null, version, md5, bytes.length), md5, sha))
        .isEqualTo(Transition.APPLIED);
    assertThat(cloudinaryStatus("/demo/raw/upload/" + publicId)).isEqualTo(404);
    return ledgerKey;
  }

  /** The object as S3Proxy holds it on disk. */
  static byte[] s3Body(ReadPathFixture fx, String publicId) throws IOException {
    return Files.readAllBytes(s3File(fx, publicId));
  }

  /** Damages the object behind DocShift's back, in S3Proxy's files, keeping its length. */
  static void flipOneByte(ReadPathFixture fx, String publicId, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(s3File(fx, publicId).toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
  }

  static Path s3File(ReadPathFixture fx, String publicId) throws IOException {
    String suffix = fx.config.s3().keyPrefix() + "demo/raw/upload/" + publicId;
    try (Stream<Path> files = Files.walk(S3.dataDir())) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().replace('\\', '/').endsWith(suffix))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no S3Proxy file for " + publicId));
    }
  }

  static String getRequest(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  }

  static String headOf(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    assertThat(end).as("response headers").isPositive();
    return text.substring(0, end);
  }

  static List<RepairTask> outboxRows(ReadPathFixture fx) {
    return fx.ledger.outbox().claim("trusted-read-test", Duration.ofMillis(1), 100);
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
