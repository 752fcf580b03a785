package io.docshift.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.ledger.DocumentRecord;
import io.docshift.core.ledger.Ledger;
import io.docshift.core.ledger.LedgerSettings;
import io.docshift.core.ledger.S3State;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backfill crash resume, real processes: {@code docshift backfill} runs in a child JVM that is
 * killed ({@code destroyForcibly}, SIGKILL) at random points several times; a last run completes.
 * The S3 set must equal the Cloudinary set with matching MD5s, and no document that was verified
 * before a kill may be written again.
 */
@Timeout(300)
class BackfillProcessKillTest {
  private static final int DOCUMENTS = 60;
  private static final int KILLS = 3;
  private static final String LEASE = "backfill.leaseMillis=2000";

  @TempDir Path dir;
  @TempDir Path spool;

  @Test
  void killedBackfillProcessesResumeToTheFullSetWithoutRewritingVerifiedDocuments()
      throws Exception {
    try (SandboxRunner sandbox =
        SandboxRunner.start(dir, null, CliHarness.ephemeralSandbox(DOCUMENTS), line -> {})) {
      String conf = sandbox.configFile().toString();
      DocShiftConfig config = DocShiftConfig.builder().file(sandbox.configFile()).build();
      Random random = new Random(5); // the kill points are random but repeatable
      try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
        for (int kill = 0; kill < KILLS; kill++) {
          long target = verifiedCount(ledger) + 1 + random.nextInt(8);
          Process child = backfillProcess(conf, "killed-" + kill);
          awaitVerified(ledger, child, target);
          child.destroyForcibly(); // SIGKILL: no shutdown hook, no lease released
          assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
      }
      Map<String, Instant> verifiedBeforeLastRun;
      try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build());
          S3Client s3 = s3(config)) {
        verifiedBeforeLastRun = lastModifiedOfVerified(ledger, s3, config);
      }
      TimeUnit.MILLISECONDS.sleep(2100); // the killed workers' 2 s leases expire
      CliHarness last = new CliHarness();
      int code =
          last.run("backfill", "--config", conf, "--set", LEASE, "--spool-dir", spool.toString());
      assertThat(code).as(last.err() + last.out()).isZero();

      try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build());
          S3Client s3 = s3(config)) {
        Map<S3State, Long> states = ledger.documents().countByState();
        assertThat(states.get(S3State.VERIFIED)).isEqualTo(DOCUMENTS);
        Map<String, S3Object> objects = objects(s3, config);
        assertThat(objects).hasSize(DOCUMENTS);
        for (DocumentRecord record : verified(ledger)) {
          S3Object object = objects.get(s3Key(record, config));
          assertThat(object).as(record.key().publicId()).isNotNull();
          assertThat(object.eTag().replace("\"", "")).isEqualTo(record.asset().etag());
        }
        verifiedBeforeLastRun.forEach(
            (key, modified) ->
                assertThat(objects.get(key).lastModified())
                    .as("rewritten: " + key)
                    .isEqualTo(modified));
        assertThat(verifiedBeforeLastRun)
            .as("some documents were verified before the last run")
            .isNotEmpty();
      }
    }
  }

  private static long verifiedCount(Ledger ledger) {
    return ledger.documents().countByState().get(S3State.VERIFIED);
  }

  /** Waits (bounded, 60 s) until {@code target} documents are verified or the child has ended. */
  private static void awaitVerified(Ledger ledger, Process child, long target)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (verifiedCount(ledger) < target && child.isAlive() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** {@code docshift backfill} in its own JVM, on the test's class path. */
  private Process backfillProcess(String conf, String workerId) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "io.docshift.app.Main",
            "backfill",
            "--config",
            conf,
            "--set",
            LEASE,
            "--worker-id",
            workerId,
            "--spool-dir",
            spool.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(workerId + ".log").toFile())
        .start();
  }

  private static Map<String, Instant> lastModifiedOfVerified(
      Ledger ledger, S3Client s3, DocShiftConfig config) {
    Map<String, S3Object> objects = objects(s3, config);
    Map<String, Instant> modified = new HashMap<>();
    for (DocumentRecord record : verified(ledger)) {
      String key = s3Key(record, config);
      assertThat(objects).as("verified but absent from S3: " + key).containsKey(key);
      modified.put(key, objects.get(key).lastModified());
    }
    return modified;
  }

  private static List<DocumentRecord> verified(Ledger ledger) {
    return ledger.documents().page(S3State.VERIFIED, 0, DOCUMENTS * 2);
  }

  private static String s3Key(DocumentRecord record, DocShiftConfig config) {
    return DocumentKey.of(
            record.key().cloud(),
            ResourceType.fromWire(record.key().resourceType()).orElseThrow(),
            DeliveryType.fromWire(record.key().type()).orElseThrow(),
            record.key().publicId(),
            record.asset().format())
        .s3Key(config.s3().keyPrefix());
  }

  private static Map<String, S3Object> objects(S3Client s3, DocShiftConfig config) {
    Map<String, S3Object> objects = new HashMap<>();
    s3.listObjectsV2Paginator(b -> b.bucket(config.s3().bucket()))
        .contents()
        .forEach(o -> objects.put(o.key(), o));
    return objects;
  }

  private static S3Client s3(DocShiftConfig config) {
    var settings = StoreSettings.s3(config.s3()).build();
    return S3Client.builder()
        .endpointOverride(settings.endpoint().orElseThrow())
        .region(Region.of(config.s3().region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(config.s3().accessKey(), config.s3().secretKey())))
        .build();
  }
}
