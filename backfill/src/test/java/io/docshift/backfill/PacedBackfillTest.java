package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.metrics.ReadLatency;
import io.docshift.core.retry.Sleeper;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.RecentOutcomes;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs that pace themselves: against a fleet whose reads suffer while the run goes on (a
 * "proxy" adding slow reads to the real ledger), and under a byte cap. Both still copy everything.
 */
@Timeout(120)
class PacedBackfillTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spool;

  private CloudinaryEmulator emulator;
  private Ledger ledger;
  private CloudinaryDocumentStore cloudinary;
  private CountingStore s3;

  @BeforeEach
  void open(org.junit.jupiter.api.TestInfo info) {
    emulator = CLOUDINARY.emulator();
    ledger = Runs.h2Ledger();
    cloudinary = Harness.cloudinary(emulator);
    s3 = new CountingStore(Harness.s3(S3.s3(), info.getTestMethod().orElseThrow().getName() + "/"));
  }

  @AfterEach
  void close() {
    s3.close();
    cloudinary.close();
    ledger.close();
  }

  @Test
  void aRunSlowsToOneCopyAtATimeWhileTheFleetsReadsAreSlowAndStillCopiesEverything()
      throws Exception {
    List<Seeded> docs = Harness.seed(emulator, "paced", 24, 11);
    // Each put takes a while, so the run outlasts several looks at the fleet; how many copies are
    // at their put at once is noted as each arrives there.
    AtomicInteger atPut = new AtomicInteger();
    List<Integer> seenAtPut = new CopyOnWriteArrayList<>();
    s3.beforePut(
        key -> {
          seenAtPut.add(atPut.incrementAndGet());
          sleep(100);
          atPut.decrementAndGet();
        });
    List<String> paces = new CopyOnWriteArrayList<>();
    PaceOptions pace = new PaceOptions(true, 500, 1.0, Duration.ofMillis(100), 0);
    ScheduledExecutorService proxy = Executors.newSingleThreadScheduledExecutor();
    try {
      proxy.scheduleAtFixedRate(this::slowReads, 0, 20, TimeUnit.MILLISECONDS);
      BackfillReport report =
          Runs.backfill(
                  Runs.options("paced/", spool).concurrency(8).build(),
                  ledger,
                  emulator,
                  cloudinary,
                  s3)
              .metrics(new PaceRecorder(paces))
              .pace(pace)
              .build()
              .run();

      assertThat(report.clean()).isTrue();
      assertThat(report.copied()).isEqualTo(docs.size());
      Harness.assertAllCopied(s3, docs);
    } finally {
      proxy.shutdownNow();
    }
    assertThat(paces).startsWith("held 8", "slowed 4", "slowed 2", "slowed 1");
    assertThat(seenAtPut.subList(seenAtPut.size() - 5, seenAtPut.size()))
        .as("the last copies ran one at a time")
        .containsOnly(1);
  }

  @Test
  void aByteCapMakesTheRunTakeAtLeastItsBytesOverTheCap() throws Exception {
    List<Seeded> docs = Harness.seed(emulator, "capped", 6, 12);
    long total = docs.stream().mapToLong(d -> d.asset().bytes()).sum();
    // The bucket starts with a second's worth: the rest takes at least one more second.
    PaceOptions capped = PaceOptions.defaults().withMaxBytesPerSecond(total / 2);
    long started = System.nanoTime();

    BackfillReport report =
        Runs.backfill(Runs.options("capped/", spool).build(), ledger, emulator, cloudinary, s3)
            .sleeper(Sleeper.system()) // the cap waits in real time
            .pace(capped)
            .build()
            .run();

    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(report.copied()).isEqualTo(docs.size());
    assertThat(millis).isGreaterThanOrEqualTo(900);
    Harness.assertAllCopied(s3, docs);
  }

  /** 50 reads of a second or more and 50 quick ones: far above a 500 ms p99. */
  private void slowReads() {
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    ledger
        .recentOutcomes()
        .add(
            "proxy",
            Map.of(
                new RecentOutcomes.Key(minute, ReadLatency.KIND, ReadLatency.UNDER_2500_MS.name()),
                50L,
                new RecentOutcomes.Key(minute, ReadLatency.KIND, ReadLatency.UNDER_100_MS.name()),
                50L));
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
