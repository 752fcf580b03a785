package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.app.CliHarness;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import io.docshift.traffic.control.TrafficChange;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows changed outside any proxy's write path — by a {@code docshift backfill}, a {@code docshift
 * verify} and a {@code docshift repair} run as other instances on the same ledger — reach a serving
 * instance's reads within 2 s, on H2 and on PostgreSQL. The instance caches ledger rows for 60 s
 * here, so only the ledger's change feed can make the bound: each read is a HEAD (which checks no
 * digest, so the instance cannot find a difference by itself).
 */
@Timeout(300)
class LedgerChangesReachReadsTest {
  private static final long PROMISE_MILLIS = 2_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<String, String> LONG_CACHE =
      Map.of("proxy.ledgerCacheTtlMillis", "60000");

  @TempDir Path dir;

  @Test
  void onH2() throws Exception {
    try (WriteRig rig = WriteRig.start(dir, LONG_CACHE)) {
      otherInstancesChangesReachReads(rig, Map.of(), dir);
    }
  }

  @Test
  void onPostgres() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
      Map<String, String> ledger = WriteRig.ledgerOn(postgres);
      Map<String, String> keys = new HashMap<>(ledger);
      keys.putAll(LONG_CACHE);
      try (WriteRig rig = WriteRig.start(dir, keys)) {
        otherInstancesChangesReachReads(rig, ledger, dir);
      }
    }
  }

  private static void otherInstancesChangesReachReads(
      WriteRig rig, Map<String, String> ledger, Path dir) throws Exception {
    rig.traffic(TrafficChange.builder().s3ReadPercent(100).build());
    backfillVerifies(rig, ledger, dir.resolve("backfill-spool"));
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    verifyFindsAMismatch(rig, ledger);
    repairSettles(rig, ledger);
  }

  /** Uploaded around DocShift, answered from Cloudinary, then copied by a backfill. */
  private static void backfillVerifies(WriteRig rig, Map<String, String> ledger, Path spool)
      throws Exception {
    Doc doc = Doc.image("feed/backfilled");
    byte[] body = Bodies.pdf(30_000, 11);
    Map<?, ?> answer =
        new Cloudinary(directUrl(rig))
            .uploader()
            .upload(body, ObjectUtils.asMap("public_id", doc.publicId(), "resource_type", "image"));
    assertThat(answer.get("public_id")).isEqualTo(doc.publicId());
    assertThat(backend(rig, doc)).as("no row yet: Cloudinary answers").isEqualTo("cloudinary");

    cli(
        ledger,
        "backfill",
        "--config",
        rig.configFile().toString(),
        "--spool-dir",
        spool.toString());

    assertThat(row(rig, doc).state()).isEqualTo(S3State.VERIFIED);
    awaitBackend(rig, doc, "s3");
    assertThat(rig.stores().s3(doc.path())).isEqualTo(body);
  }

  /** Served from S3, then its S3 object is replaced behind DocShift's back and verify finds it. */
  private static void verifyFindsAMismatch(WriteRig rig, Map<String, String> ledger)
      throws Exception {
    Doc doc = Doc.image("feed/verified");
    byte[] body = Bodies.pdf(30_000, 12);
    upload(rig, doc, body);
    awaitBackend(rig, doc, "s3");
    byte[] replaced = Bodies.pdf(30_000, 13);
    rig.stores().replaceInS3(doc.path(), replaced);

    CliHarness verify = new CliHarness();
    assertThat(verify.run(withLedger(ledger, "verify", "--config", rig.configFile().toString())))
        .as(verify.out() + verify.err())
        .isEqualTo(1);
    assertThat(verify.out()).contains("checksum-differs");

    assertThat(row(rig, doc).state()).isEqualTo(S3State.MISMATCH);
    awaitBackend(rig, doc, "cloudinary");
    assertThat(rig.stores().cloudinary(doc.path())).isEqualTo(body);
    assertThat(rig.stores().s3(doc.path())).as("verify repairs nothing").isEqualTo(replaced);
  }

  /** Its S3 write failed, so Cloudinary answers; a repair run elsewhere settles it. */
  private static void repairSettles(WriteRig rig, Map<String, String> ledger) throws Exception {
    Doc doc = Doc.image("feed/repaired");
    byte[] body = Bodies.pdf(30_000, 14);
    rig.s3Gate().fault("PUT", ".*", FaultGate.Kind.HTTP_500);
    try {
      upload(rig, doc, body);
    } finally {
      rig.s3Gate().heal();
    }
    assertThat(row(rig, doc).state()).isNotEqualTo(S3State.VERIFIED);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).containsExactly("put");
    assertThat(backend(rig, doc)).isEqualTo("cloudinary");

    rig.stores().outboxDueNow();
    cli(ledger, "repair", "--once", "--config", rig.configFile().toString());

    assertThat(row(rig, doc).state()).isEqualTo(S3State.VERIFIED);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    awaitBackend(rig, doc, "s3");
    assertThat(rig.stores().s3(doc.path())).isEqualTo(body);
  }

  /** HEADs through the instance until {@code expected} answers, at most the 2 s promise. */
  private static void awaitBackend(WriteRig rig, Doc doc, String expected) {
    long start = System.nanoTime();
    Eventually.until(
        Duration.ofMillis(PROMISE_MILLIS),
        () -> backend(rig, doc),
        expected::equals,
        "the instance to serve " + doc.publicId() + " from " + expected);
    long took = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("%s served from %s after %d ms%n", doc.publicId(), expected, took);
  }

  private static String backend(WriteRig rig, Doc doc) throws Exception {
    URI url = URI.create(rig.proxyUrl() + "/" + rig.stores().cloud() + "/" + doc.path());
    HttpResponse<Void> r =
        HTTP.send(
            HttpRequest.newBuilder(url).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.headers().firstValue("X-DocShift-Backend").orElse("");
  }

  private static DocumentRecord row(WriteRig rig, Doc doc) {
    return rig.stores().row(doc.rt(), doc.publicId()).orElseThrow();
  }

  private static void upload(WriteRig rig, Doc doc, byte[] body) throws Exception {
    Map<?, ?> answer =
        new Cloudinary(rig.cloudinaryUrl())
            .uploader()
            .upload(body, ObjectUtils.asMap("public_id", doc.publicId(), "resource_type", "image"));
    assertThat(answer.get("public_id")).isEqualTo(doc.publicId());
  }

  /** A {@code CLOUDINARY_URL} uploading to the emulator itself, around DocShift. */
  private static String directUrl(WriteRig rig) {
    var account = rig.stores().config().cloudinary();
    return WriteRig.cloudinaryUrl(account, account.apiSecret(), account.apiUrl());
  }

  /** A CLI command as another instance on the rig's ledger; fails unless it exits 0. */
  private static void cli(Map<String, String> ledger, String... args) {
    CliHarness cli = new CliHarness();
    int code = cli.run(withLedger(ledger, args));
    assertThat(code).as(String.join(" ", args) + ": " + cli.out() + cli.err()).isZero();
  }

  private static String[] withLedger(Map<String, String> ledger, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    ledger.forEach((key, value) -> all.addAll(List.of("--set", key + "=" + value)));
    return all.toArray(String[]::new);
  }
}
