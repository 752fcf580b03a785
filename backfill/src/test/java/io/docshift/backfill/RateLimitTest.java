package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.retry.Sleeper;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Admin API budget with a tiny hourly limit on the emulator and a hand-moved clock: 420s are
 * waited out until the reported reset, and DocShift's own budget keeps it from hitting 420 at all.
 * Nothing really waits: the sleeper advances the clock.
 */
@Timeout(120)
class RateLimitTest {
  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T10:15:00Z"));

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY =
      new CloudinaryEmulatorExtension(b -> b.adminCallsPerHour(3).clock(CLOCK));

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spool;

  private final List<Instant> wokeAt = new CopyOnWriteArrayList<>();
  private CloudinaryEmulator emulator;
  private Ledger ledger;
  private DocumentStore cloudinary;
  private DocumentStore s3;
  private SimpleMeterRegistry registry;
  private String folder;

  @BeforeEach
  void open(TestInfo info) {
    folder = info.getTestMethod().orElseThrow().getName();
    emulator = CLOUDINARY.emulator();
    ledger = Runs.h2Ledger();
    cloudinary = Harness.cloudinary(emulator);
    s3 = Harness.s3(S3.s3(), folder + "/");
    registry = new SimpleMeterRegistry();
    // Start each test in a fresh hour with the emulator's whole budget.
    CLOCK.set(CLOCK.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(61)));
  }

  @AfterEach
  void close() {
    s3.close();
    cloudinary.close();
    ledger.close();
  }

  private BackfillReport run(int ownBudget) throws InterruptedException {
    BackfillOptions options =
        Runs.options(folder + "/", spool).adminCallsPerHour(ownBudget).build();
    Sleeper advance =
        duration -> {
          if (duration.compareTo(Duration.ofMinutes(1)) > 0) {
            CLOCK.advance(duration);
            wokeAt.add(CLOCK.instant());
          }
        };
    return Runs.backfill(options, ledger, emulator, cloudinary, s3)
        .clock(CLOCK)
        .sleeper(advance)
        .metrics(new MicrometerBackfillMetrics(registry))
        .build()
        .run();
  }

  private double adminCalls(String outcome) {
    return registry.counter("docshift.backfill.admin.calls", "outcome", outcome).count();
  }

  @Test
  void rateLimitedCallsWaitForTheResetAndTheRunCompletes() throws Exception {
    List<Harness.Seeded> docs = Harness.seed(emulator, folder, 8, 11);
    spendCloudinaryBudget(); // another Admin API user spent this hour's budget before the run

    BackfillReport report = run(2000);

    assertThat(report.clean()).isTrue();
    assertThat(report.copied()).isEqualTo(8);
    assertThat(report.listingComplete()).isTrue();
    Harness.assertAllCopied(s3, docs);
    // One 420, waited out to the reset; then 9 listings at 3 per hour, paced by the headers'
    // Remaining (two more waits for the top of the hour) without another 420.
    assertThat(adminCalls("throttled")).isEqualTo(1);
    assertThat(adminCalls("ok")).isEqualTo(9);
    assertThat(wokeAt)
        .hasSize(3)
        .allSatisfy(t -> assertThat(t).isEqualTo(t.truncatedTo(ChronoUnit.HOURS)));
  }

  private void spendCloudinaryBudget() throws Exception {
    AdminApi api =
        new AdminApi(HttpClient.newHttpClient(), Harness.account(emulator), Harness.TIMEOUT);
    for (int i = 0; i < 3; i++) {
      api.list("raw", "upload", "", null, 1);
    }
    assertThatThrownBy(() -> api.list("raw", "upload", "", null, 1))
        .isInstanceOfSatisfying(
            AdminApiException.class, e -> assertThat(e.status()).isEqualTo(420));
  }

  @Test
  void ownBudgetBelowCloudinarysAvoidsRateLimitsEntirely() throws Exception {
    Harness.seed(emulator, folder, 4, 12);

    BackfillReport report = run(2);

    assertThat(report.copied()).isEqualTo(4);
    assertThat(adminCalls("throttled")).isZero();
    assertThat(adminCalls("ok")).isEqualTo(9);
    assertThat(wokeAt).hasSize(4); // 9 calls at 2 per hour: 4 waits for the next hour
  }
}
