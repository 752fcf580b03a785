package io.docshift.proxy;

import static io.docshift.proxy.RelayedStores.fetch;
import static io.docshift.proxy.RelayedStores.seeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.ledger.RepairOperation;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.Eventually;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hedged reads end to end: relays in front of the real S3Proxy and the real emulator hold (or
 * refuse) the answers to one document's requests, so S3 is slow to answer, and the hedge (a fixed
 * 400 ms delay here) asks Cloudinary too. Whoever answers first serves the whole body with the same
 * headers; the loser's answer is released (its relay connection closed or reused, never held), no
 * Netty buffer leaks (the leak gate), and both stores and the ledger row are as they were.
 */
class HedgedReadTest {
  @RegisterExtension static final RelayedStores STORES = new RelayedStores();

  static final Duration WAIT = Duration.ofSeconds(15);
  static final Duration HEDGE = Duration.ofMillis(400);
  static DelayRelay s3Relay;
  static DelayRelay cloudinaryRelay;
  static ReadPathFixture fx;
  static ReadPathFixture noBudget;
  static DelayRelay budgetS3Relay;
  static DelayRelay budgetCloudinaryRelay;

  @BeforeAll
  static void start() throws Exception {
    s3Relay = STORES.opened(new DelayRelay(STORES.s3().endpoint()));
    cloudinaryRelay = STORES.opened(new DelayRelay(STORES.emulator().baseUrl()));
    budgetS3Relay = STORES.opened(new DelayRelay(STORES.s3().endpoint()));
    budgetCloudinaryRelay = STORES.opened(new DelayRelay(STORES.emulator().baseUrl()));
    fx = fixture("100", s3Relay, cloudinaryRelay);
    noBudget = fixture("0", budgetS3Relay, budgetCloudinaryRelay);
  }

  /** One proxy whose stores are reached through its own two relays (so each counts its own). */
  private static ReadPathFixture fixture(
      String budgetPercent, DelayRelay toS3, DelayRelay toCloudinary) {
    return STORES.proxy(
        toS3.url(),
        Map.of(
            "cloudinary.deliveryUrl",
            toCloudinary.url() + "/{cloudName}",
            "proxy.eventLoopThreads",
            "1",
            "proxy.s3FirstByteTimeoutMillis",
            "8000",
            "read.hedge.enabled",
            "true",
            "read.hedge.minDelayMillis",
            Long.toString(HEDGE.toMillis()),
            "read.hedge.maxDelayMillis",
            Long.toString(HEDGE.toMillis()),
            "read.hedge.budgetPercent",
            budgetPercent));
  }

  @Test
  void aSlowS3IsOvertakenByCloudinaryWithTheSameBodyAndHeaders() throws Exception {
    byte[] doc = ReadPathTest.pdf(200_000);
    StoredAsset a = seeded(fx, "hedge/cld-wins.pdf", doc);
    String path = "/demo/raw/upload/v1/hedge/cld-wins.pdf";
    HttpResponse<byte[]> fromS3 = fetch(fx, path);
    assertThat(fromS3.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
    double won = hedges(fx, "cloudinary_won");
    double fallbacks = fx.fallbacks();
    s3Relay.slow("cld-wins.pdf", Duration.ofSeconds(3));
    cloudinaryRelay.slow("cld-wins.pdf", Duration.ZERO); // counted from here on

    HttpResponse<byte[]> r = fetch(fx, path);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
    assertThat(r.body()).isEqualTo(doc);
    assertThat(headers(r.headers())).isEqualTo(headers(fromS3.headers()));
    assertThat(hedges(fx, "cloudinary_won") - won).isEqualTo(1);
    assertThat(cloudinaryRelay.requests("cld-wins.pdf")).isEqualTo(1);
    s3Relay.slow("cld-wins.pdf", Duration.ZERO);
    awaitReleased(s3Relay, path, "s3");
    assertThat(fx.fallbacks()).as("S3 answered late, but answered: no fault").isEqualTo(fallbacks);
    assertThat(fx.ledger.outbox().queued(EmulatedAssets.ledgerKey(a), RepairOperation.PUT))
        .isFalse();
    assertUntouched(fx, a, path, doc);
  }

  @Test
  void aFastS3IsNotHedged() throws Exception {
    byte[] doc = ReadPathTest.pdf(50_000);
    StoredAsset a = seeded(fx, "hedge/s3-fast.pdf", doc);
    String path = "/demo/raw/upload/v1/hedge/s3-fast.pdf";
    fetch(fx, path); // warm: the measured read below is well within the hedge delay
    cloudinaryRelay.slow("s3-fast.pdf", Duration.ZERO); // counted from here on
    double hedged = allHedges(fx);

    HttpResponse<byte[]> r = fetch(fx, path);

    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
    assertThat(r.body()).isEqualTo(doc);
    assertThat(cloudinaryRelay.requests("s3-fast.pdf")).isZero();
    assertThat(allHedges(fx)).isEqualTo(hedged);
    assertUntouched(fx, a, path, doc);
  }

  @Test
  void aSlowS3StillWinsWhenCloudinaryIsSlowerAndCloudinarysAnswerIsReleased() throws Exception {
    byte[] doc = ReadPathTest.pdf(150_000);
    StoredAsset a = seeded(fx, "hedge/s3-wins.pdf", doc);
    String path = "/demo/raw/upload/v1/hedge/s3-wins.pdf";
    double won = hedges(fx, "s3_won");
    s3Relay.slow("s3-wins.pdf", Duration.ofMillis(1_000));
    cloudinaryRelay.slow("s3-wins.pdf", Duration.ofSeconds(4));

    HttpResponse<byte[]> r = fetch(fx, path);

    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
    assertThat(r.body()).isEqualTo(doc);
    assertThat(hedges(fx, "s3_won") - won).isEqualTo(1);
    assertThat(cloudinaryRelay.requests("s3-wins.pdf")).isEqualTo(1);
    fx.seed("raw", "upload", "hedge/cld-only.pdf", doc); // not in S3: Cloudinary serves it
    awaitReleased(cloudinaryRelay, "/demo/raw/upload/v1/hedge/cld-only.pdf", "cloudinary");
    assertUntouched(fx, a, path, doc);
  }

  @Test
  void bothFailingIsTheFallbacksFailureWithoutAskingCloudinaryTwice() throws Exception {
    byte[] doc = ReadPathTest.pdf(80_000);
    StoredAsset a = seeded(fx, "hedge/both-fail.pdf", doc);
    String path = "/demo/raw/upload/v1/hedge/both-fail.pdf";
    double failed = hedges(fx, "both_failed");
    double fallbacks = fx.fallbacks();
    s3Relay.fail("both-fail.pdf", Duration.ofMillis(1_000));
    cloudinaryRelay.fail("both-fail.pdf", Duration.ZERO);

    HttpResponse<byte[]> r = fetch(fx, path);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(cloudinaryRelay.requests("both-fail.pdf")).as("one Cloudinary read").isEqualTo(1);
    Eventually.until(WAIT, () -> hedges(fx, "both_failed") - failed == 1, "both_failed counted");
    assertThat(fx.fallbacks() - fallbacks).as("S3's failure counted once").isEqualTo(1);
    Eventually.until(
        WAIT,
        () -> fx.ledger.outbox().queued(EmulatedAssets.ledgerKey(a), RepairOperation.PUT),
        "repair queued, as for any fallback");
    s3Relay.slow("both-fail.pdf", Duration.ZERO);
    cloudinaryRelay.slow("both-fail.pdf", Duration.ZERO);
    assertUntouched(fx, a, path, doc);
  }

  @Test
  void overTheBudgetOnlyS3IsAsked() throws Exception {
    byte[] doc = ReadPathTest.pdf(60_000);
    StoredAsset a = seeded(noBudget, "hedge/no-budget.pdf", doc);
    String path = "/demo/raw/upload/v1/hedge/no-budget.pdf";
    double over = hedges(noBudget, "over_budget");
    budgetS3Relay.slow("no-budget.pdf", Duration.ofMillis(1_000));
    budgetCloudinaryRelay.slow("no-budget.pdf", Duration.ZERO);

    HttpResponse<byte[]> r = fetch(noBudget, path);

    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
    assertThat(r.body()).isEqualTo(doc);
    assertThat(budgetCloudinaryRelay.requests("no-budget.pdf")).isZero();
    assertThat(hedges(noBudget, "over_budget") - over).isEqualTo(1);
    assertUntouched(noBudget, a, path, doc);
  }

  /**
   * The loser's answer arrived and was released: once the relay holds no answer, one more read
   * through it ({@code next}, served by {@code backend}) finds the proxy with at most its one
   * loop's connection to it. An answer never released would hold its connection, so that read would
   * need a second one.
   */
  private static void awaitReleased(DelayRelay relay, String next, String backend)
      throws Exception {
    Eventually.until(WAIT, () -> relay.held() == 0, "the late answer arrived");
    HttpResponse<byte[]> r = fetch(fx, next);
    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue(backend);
    Eventually.until(WAIT, () -> relay.openConnections() <= 1, "the late answer's connection");
  }

  /** S3, Cloudinary and the ledger row are as they were. */
  private static void assertUntouched(ReadPathFixture f, StoredAsset a, String path, byte[] doc)
      throws Exception {
    RelayedStores.assertUntouched(f, a, doc);
    STORES.assertCloudinaryHolds(path, doc);
  }

  /** The response headers that must not depend on which store served. */
  private static Map<String, List<String>> headers(HttpHeaders h) {
    return RelayedStores.headers(h, "x-docshift-backend");
  }

  private static double hedges(ReadPathFixture f, String outcome) {
    return f
        .registry
        .find(MicrometerMetricsRecorder.HEDGES)
        .tag("outcome", outcome)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static double allHedges(ReadPathFixture f) {
    return f.registry.find(MicrometerMetricsRecorder.HEDGES).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
