package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairTask;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.Eventually;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.revert.TripRule;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
        autoReverting(Map.of(), new TrafficState(100, WriteMode.S3_ONLY, 0))) {
      byte[] pdf = ReadPathTest.pdf(40_000);
      HttpResponse<String> upload = StoreBackdoor.upload(fx, "trust/s3-only.pdf", pdf);
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
      String path = "/demo/raw/upload/trust/s3-only.pdf";
      assertThat(StoreBackdoor.cloudinaryStatus(fx, path))
          .as("Cloudinary never saw it")
          .isEqualTo(404);

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
        autoReverting(
            Map.of("s3.secretKey", "not-the-secret"),
            new TrafficState(100, WriteMode.DUAL_CLOUDINARY_PRIMARY, 0))) {
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

      StoreBackdoor.flipOneByte(fx, S3.dataDir(), "trust/flipped.pdf", pdf.length / 2);
      byte[] raw = RawHttp.exchange(fx.proxy.port(), RawHttp.ascii(getRequest(path)));
      String head = headOf(raw);
      assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("x-docshift-backend: s3");
      assertThat(raw.length - head.length() - 4)
          .as("the client never receives the whole announced body")
          .isLessThan(pdf.length);

      LedgerKey key = EmulatedAssets.ledgerKey(a);
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
      assertThat(StoreBackdoor.cloudinaryBody(fx, path)).as("Cloudinary untouched").isEqualTo(pdf);
      assertThat(StoreBackdoor.s3Body(fx, S3.dataDir(), "trust/flipped.pdf"))
          .as("S3 still damaged until the repair runs")
          .isNotEqualTo(pdf);
    }
  }

  @Test
  void aDamagedS3OnlyDocumentIsMarkedButNotRepairedFromAnEmptyCloudinary() throws Exception {
    try (ReadPathFixture fx =
        new ReadPathFixture(CLD.emulator(), S3.s3(), S3.s3().endpoint(), Map.of())) {
      fx.traffic.set(new TrafficState(100, WriteMode.S3_ONLY, 0));
      byte[] pdf = ReadPathTest.pdf(200_000);
      LedgerKey key = StoreBackdoor.onlyInS3(fx, "trust/s3-only-damaged.pdf", pdf);
      StoreBackdoor.flipOneByte(fx, S3.dataDir(), "trust/s3-only-damaged.pdf", 1_000);
      String path = "/demo/raw/upload/trust/s3-only-damaged.pdf";

      byte[] raw = RawHttp.exchange(fx.proxy.port(), RawHttp.ascii(getRequest(path)));
      assertThat(raw.length - headOf(raw).length() - 4).isLessThan(pdf.length);
      await(
          () -> fx.ledger.documents().find(key).orElseThrow().state() == S3State.MISMATCH,
          "ledger row marked mismatch");
      assertThat(fx.ledger.outbox().stats().depth())
          .as("a repair from Cloudinary would tombstone it")
          .isZero();
      assertThat(fetch(fx, path, "GET").statusCode()).as("never served damaged").isNotEqualTo(200);
      assertThat(StoreBackdoor.s3Body(fx, S3.dataDir(), "trust/s3-only-damaged.pdf"))
          .hasSize(pdf.length)
          .isNotEqualTo(pdf);
    }
  }

  @Test
  void aDocumentWhoseCloudinaryCopyIsStillQueuedIsServedFromS3AtWeightZero() throws Exception {
    try (ReadPathFixture fx =
        new ReadPathFixture(CLD.emulator(), S3.s3(), S3.s3().endpoint(), Map.of())) {
      fx.traffic.set(new TrafficState(0, WriteMode.DUAL_CLOUDINARY_PRIMARY, 0));
      byte[] pdf = ReadPathTest.pdf(20_000);
      LedgerKey behind = StoreBackdoor.onlyInS3(fx, "trust/cld-put-queued.pdf", pdf);
      fx.ledger.outbox().enqueue(behind, RepairOperation.CLOUDINARY_PUT, "secondary failed");
      LedgerKey gone = StoreBackdoor.onlyInS3(fx, "trust/deleted-at-cloudinary.pdf", pdf);

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
      assertThat(StoreBackdoor.s3Body(fx, S3.dataDir(), "trust/cld-put-queued.pdf")).isEqualTo(pdf);
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
      LedgerKey key = StoreBackdoor.onlyInS3(fx, "trust/s3-refuses.pdf", pdf);

      HttpResponse<byte[]> r = fetch(fx, "/demo/raw/upload/trust/s3-refuses.pdf", "GET");
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
      assertThat(fx.ledger.documents().find(key).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
      assertThat(fx.ledger.outbox().stats().depth())
          .as("no repair from Cloudinary: it would tombstone the only copy")
          .isZero();
      assertThat(StoreBackdoor.s3Body(fx, S3.dataDir(), "trust/s3-refuses.pdf")).isEqualTo(pdf);
    }
  }

  // ---- helpers ----

  /**
   * Auto-revert is fed from the request's verdict, not the metrics: S3's answers count, a client's
   * unsatisfiable range answered from S3 (a 4xx with S3's verdict) never does.
   */
  @Test
  void s3sAnswersFeedAutoRevertAndAClientsRangeErrorNeverDoes() throws Exception {
    try (ReadPathFixture fx =
        autoReverting(Map.of(), new TrafficState(100, WriteMode.DUAL_CLOUDINARY_PRIMARY, 0))) {
      byte[] pdf = ReadPathTest.pdf(20_000);
      StoredAsset a = fx.seed("raw", "upload", "trust/ranges.pdf", pdf);
      fx.copyToS3(a, pdf, "application/pdf");
      String path = "/demo/raw/upload/trust/ranges.pdf";
      HttpResponse<byte[]> whole = fetch(fx, path, "GET");
      assertThat(whole.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
      // Counted when the store's body ended, which can be just after the client's last byte.
      Eventually.until(
          Duration.ofSeconds(10),
          () -> fx.control.guard().snapshot().requests() == 1,
          "S3's answer counted");

      for (int i = 0; i < 3; i++) {
        HttpResponse<byte[]> refused =
            HTTP.send(
                HttpRequest.newBuilder(fx.url(path)).header("Range", "bytes=900000-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(refused.statusCode()).isEqualTo(416);
      }

      assertThat(
              fx
                  .registry
                  .find(MicrometerMetricsRecorder.REQUESTS)
                  .tag("backend", "s3")
                  .tag("outcome", "client_error")
                  .timers()
                  .stream()
                  .mapToLong(t -> t.count())
                  .sum())
          .as("the 416s carried S3's verdict")
          .isEqualTo(3);
      assertThat(fx.control.guard().snapshot().requests()).isEqualTo(1);
      assertThat(fx.control.guard().snapshot().failures()).isZero();
      assertThat(fx.control.state().tripped()).isFalse();
      assertThat(fx.ledger.documents().find(EmulatedAssets.ledgerKey(a)).orElseThrow().state())
          .isEqualTo(S3State.VERIFIED);
      assertThat(fx.ledger.outbox().stats().depth()).as("no repair queued").isZero();
    }
  }

  /** The read path over the sandbox with auto-revert fed as served, tripping at three in a row. */
  private static ReadPathFixture autoReverting(Map<String, String> extra, TrafficState initial) {
    return ReadPathFixture.withAutoRevert(
        CLD.emulator(), S3.s3(), S3.s3().endpoint(), extra, initial, THREE_IN_A_ROW);
  }

  static HttpResponse<byte[]> fetch(ReadPathFixture fx, String path, String method)
      throws Exception {
    return FallbackTest.fetch(fx, path, method);
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

  static void await(Eventually.Condition condition, String what) {
    Eventually.until(Duration.ofSeconds(10), condition, what);
  }
}
