package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.LogCanary;
import io.docshift.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log canary over a backfill and the repair worker, failures included (errors are where ids and
 * secrets leak): a document whose download fails, S3 puts that fail for good and once before a
 * retry, a repair that fails and then lands. Every line they log is grepped for the canary public
 * ids (as is and URL-encoded), the API secret (and the Basic credentials the listing sends), the S3
 * secret key and the ledger password.
 */
@Timeout(120)
class BackfillLogCanaryTest {
  private static final String FOLDER = "canary-ward";
  private static final String LEDGER_PASSWORD = "canary-ledger-password";

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spool;

  private final MutableClock clock = new MutableClock(Instant.now());
  private LogCanary lines;
  private Ledger ledger;
  private DocumentStore cloudinary;
  private CountingStore s3;

  @BeforeEach
  void open() {
    lines = LogCanary.start();
    ledger =
        Ledger.open(
            LedgerSettings.builder("jdbc:h2:mem:canary-" + UUID.randomUUID())
                .credentials("sa", LEDGER_PASSWORD)
                .clock(clock)
                .build());
    cloudinary = Harness.cloudinary(CLOUDINARY.emulator());
    s3 = new CountingStore(Harness.s3(S3.s3(), "canary/"));
  }

  @AfterEach
  void close() {
    s3.close();
    cloudinary.close();
    ledger.close();
    lines.close();
  }

  @Test
  void noBackfillOrRepairLogLineCarriesAPublicIdOrASecret() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    Random random = new Random(4711);
    Seeded first =
        Harness.seedOne(emulator, "raw", "private", FOLDER + "/jane-doe-4711.pdf", random);
    Seeded second =
        Harness.seedOne(emulator, "raw", "upload", FOLDER + "/john-roe-0815.pdf", random);
    LedgerKey gone = new LedgerKey("demo", "raw", "upload", FOLDER + "/mary-major-1234.pdf");
    ledger.documents().upsert(new CloudinaryAsset(gone, null, 1, null, 10), UpsertOrigin.LISTING);
    // One worker thread: the first document to reach S3 fails all its three attempts, the next
    // fails once and is copied on its retry.
    s3.failPuts(4);

    BackfillReport report =
        Runs.backfill(
                Runs.options(FOLDER + "/", spool).concurrency(1).build(),
                ledger,
                emulator,
                cloudinary,
                s3)
            .build()
            .run();

    assertThat(report.copied()).isEqualTo(1);
    assertThat(report.failedByReason())
        .containsEntry("cloudinary_not_found", 1L)
        .containsEntry("s3_5xx", 1L);
    assertThat(ledger.documents().find(gone).orElseThrow().state()).isEqualTo(S3State.ABSENT);
    Seeded failed = state(first) == S3State.VERIFIED ? second : first;
    Seeded copied = failed == first ? second : first;
    assertThat(state(failed)).isEqualTo(S3State.ABSENT);
    assertThat(ledger.documents().find(failed.ledgerKey()).orElseThrow().lastError())
        .contains("s3_5xx");
    assertThat(Harness.storedSha256(s3, copied.key())).contains(copied.sha256());
    assertThat(Harness.storedSha256(s3, failed.key())).isEmpty();
    assertThat(Harness.storedSha256(cloudinary, failed.key())).contains(failed.sha256());

    repairFailingOnceThenLanding(failed);

    assertThat(lines.warnings(Dispatcher.class.getName()))
        .as("the failures were logged, the ids hashed")
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("id:"));
    assertThat(
            lines.leaks(
                List.of(
                    first.asset().publicId(),
                    second.asset().publicId(),
                    gone.publicId(),
                    CloudinaryEmulatorExtension.API_SECRET,
                    adminApiCredentials(),
                    EmbeddedS3Extension.SECRET_KEY,
                    LEDGER_PASSWORD)))
        .isEmpty();
  }

  /**
   * A PUT repair of {@code doc}: both S3 puts of its first attempt (one in-call retry) fail, the
   * outbox's retry (once due) lands.
   */
  private void repairFailingOnceThenLanding(Seeded doc) throws Exception {
    ledger.outbox().enqueue(doc.ledgerKey(), RepairOperation.PUT, "read fallback");
    s3.failPuts(2);
    try (RepairWorker worker =
        RepairWorker.builder(
                RepairFixture.options(spool),
                ledger,
                Harness.account(CLOUDINARY.emulator()),
                cloudinary,
                s3)
            .sleeper(duration -> {})
            .random(new SplittableRandom(11))
            .build()) {
      assertThat(worker.runOnce().failed()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(1)); // the first backoff: 1 s less up to 20 % jitter
      assertThat(worker.runOnce().applied()).isEqualTo(1);
    }
    assertThat(state(doc)).isEqualTo(S3State.VERIFIED);
    assertThat(Harness.storedSha256(s3, doc.key())).contains(doc.sha256());
  }

  /** What the Admin API listing sends as HTTP Basic credentials. */
  private static String adminApiCredentials() {
    String pair =
        CloudinaryEmulatorExtension.API_KEY + ":" + CloudinaryEmulatorExtension.API_SECRET;
    return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private S3State state(Seeded doc) {
    return ledger.documents().find(doc.ledgerKey()).orElseThrow().state();
  }
}
