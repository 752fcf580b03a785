package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.metrics.ReadLatency;
import io.docshift.core.retry.Sleeper;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.CheckpointKey;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RecentOutcomes;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End-to-end runs against the emulator and S3Proxy: copy, verify, resume, dry run, failures, pace.
 */
@Timeout(120)
class BackfillTest {
  @RegisterExtension static final SandboxStores STORES = new SandboxStores();

  @TempDir Path spool;

  private SandboxStores.Opened stores;
  private CloudinaryEmulator emulator;
  private Ledger ledger;
  private DocumentStore cloudinary;
  private CountingStore s3;

  @BeforeEach
  void open(org.junit.jupiter.api.TestInfo info) {
    stores = STORES.open(info.getTestMethod().orElseThrow().getName() + "/");
    emulator = STORES.emulator();
    ledger = stores.ledger();
    cloudinary = stores.cloudinary();
    s3 = stores.s3();
  }

  @AfterEach
  void close() {
    stores.close();
  }

  private BackfillReport run(BackfillOptions.Builder options) throws InterruptedException {
    return Runs.backfill(options.build(), ledger, emulator, cloudinary, s3).build().run();
  }

  /** Both spools: disk only (0), mixed (3 KiB: larger documents and contention go to disk). */
  @ParameterizedTest
  @ValueSource(ints = {0, 3 * 1024, BackfillOptions.DEFAULT_SPOOL_MEMORY_BYTES})
  void mixedBacklogEndsVerifiedAndByteIdentical(int spoolMemoryBytes) throws Exception {
    String folder = "full-" + spoolMemoryBytes;
    List<Seeded> docs = Harness.seed(emulator, folder, 18, 1);

    BackfillReport report =
        run(Runs.options(folder + "/", spool).spoolMemoryBytes(spoolMemoryBytes));

    assertThat(report.clean()).isTrue();
    assertThat(report.copied()).isEqualTo(18);
    assertThat(report.skipped()).isZero();
    assertThat(s3.totalPuts()).isEqualTo(18);
    assertThat(report.listed()).isEqualTo(18);
    assertThat(report.listingComplete()).isTrue();
    assertThat(report.remaining()).isZero();
    assertThat(s3.heads()).as("no HEAD where the ledger knows no S3 copy").isZero();
    Harness.assertAllCopied(s3, docs);
    for (Seeded doc : docs) {
      DocumentRecord row = ledger.documents().find(doc.ledgerKey()).orElseThrow();
      assertThat(row.state()).isEqualTo(S3State.VERIFIED);
      assertThat(row.s3().md5()).isEqualTo(doc.asset().etag());
      assertThat(row.s3().sha256()).isEqualTo(doc.sha256());
      DocumentMeta meta = s3.head(doc.key()).get(30, TimeUnit.SECONDS);
      assertThat(meta.version()).hasValue(doc.asset().version());
      assertThat(meta.md5Hex()).contains(doc.asset().etag());
      // Streamed: the SHA-256 is known only after the put's headers went out; the ledger has it.
      assertThat(meta.sha256Hex()).isEmpty();
    }
    assertThat(spool).isEmptyDirectory();
  }

  @Test
  void secondRunCopiesNothingAndSkipsCompletedListings() throws Exception {
    Harness.seed(emulator, "again", 7, 2);
    run(Runs.options("again/", spool));
    int putsAfterFirst = s3.totalPuts();

    BackfillReport second = run(Runs.options("again/", spool));
    BackfillReport relisted = run(Runs.options("again/", spool).relist(true));

    assertThat(putsAfterFirst).isEqualTo(7);
    assertThat(s3.totalPuts()).isEqualTo(7);
    assertThat(second.listed()).isZero();
    assertThat(second.processed()).isZero();
    assertThat(relisted.listed()).isEqualTo(7);
    assertThat(relisted.processed()).isZero();
  }

  @Test
  void listingResumesFromItsCheckpoint() throws Exception {
    Harness.seed(emulator, "resume", 24, 3);
    CheckpointKey imageUpload = new CheckpointKey("demo", "image", "upload", "resume/");
    // A first run listed one page of this listing (2 of its 4 documents) and died.
    ResourcePage first = firstPage();
    for (ListedResource r : first.resources()) {
      ledger.documents().upsert(r.asset("demo"), UpsertOrigin.LISTING);
    }
    ledger.checkpoints().put(imageUpload, first.nextCursor().orElseThrow(), false);

    BackfillReport report = run(Runs.options("resume/", spool));

    assertThat(report.listed()).isEqualTo(24 - first.resources().size());
    assertThat(report.copied()).isEqualTo(24);
    assertThat(ledger.checkpoints().get(imageUpload).orElseThrow().completed()).isTrue();
  }

  private ResourcePage firstPage() throws Exception {
    AdminApi api =
        new AdminApi(
            java.net.http.HttpClient.newHttpClient(), Harness.account(emulator), Harness.TIMEOUT);
    ResourcePage page = api.list("image", "upload", "resume/", null, 2);
    assertThat(page.resources()).hasSize(2);
    assertThat(page.rateLimit().limit()).isPresent();
    return page;
  }

  @Test
  void dryRunCountsWhatWouldBeCopiedAndWritesNothing() throws Exception {
    List<Seeded> docs = Harness.seed(emulator, "dry", 6, 4);

    BackfillReport report = run(Runs.options("dry/", spool).dryRun(true));

    assertThat(report.wouldCopy()).isEqualTo(6);
    assertThat(report.wouldCopyBytes())
        .isEqualTo(docs.stream().mapToLong(d -> d.asset().bytes()).sum());
    assertThat(s3.totalPuts()).isZero();
    assertThat(ledger.documents().countByState().values()).containsOnly(0L);
    assertThat(ledger.checkpoints().list()).isEmpty();
  }

  @Test
  void permanentFailureIsRecordedAndTheRunGoesOn() throws Exception {
    List<Seeded> docs = Harness.seed(emulator, "fail", 4, 5);
    LedgerKey ghost = new LedgerKey("demo", "raw", "upload", "fail/never-uploaded.pdf");
    ledger.documents().upsert(new CloudinaryAsset(ghost, null, 1, null, 10), UpsertOrigin.LISTING);

    BackfillReport report = run(Runs.options("fail/", spool));

    assertThat(report.copied()).isEqualTo(4);
    assertThat(report.failedByReason()).containsEntry("cloudinary_not_found", 1L);
    assertThat(report.clean()).isFalse();
    DocumentRecord row = ledger.documents().find(ghost).orElseThrow();
    assertThat(row.state()).isEqualTo(S3State.ABSENT);
    assertThat(row.lease()).isEmpty();
    assertThat(row.lastError()).contains("cloudinary_not_found");
    Harness.assertAllCopied(s3, docs);
  }

  // Runs that pace themselves: against a fleet whose reads suffer while the run goes on (a
  // "proxy" adding slow reads to the real ledger), and under a byte cap. Both still copy
  // everything.

  @Test
  void aRunSlowsToOneCopyAtATimeWhileTheFleetsReadsAreSlowAndStillCopiesEverything()
      throws Exception {
    List<Seeded> docs = Harness.seed(emulator, "paced", 40, 11);
    // Each put takes a while, so the run outlasts several looks at the fleet; how many copies are
    // at their put at once is noted as each arrives there.
    AtomicInteger atPut = new AtomicInteger();
    List<Integer> seenAtPut = new CopyOnWriteArrayList<>();
    s3.beforePut(
        key -> {
          seenAtPut.add(atPut.incrementAndGet());
          sleep(150);
          atPut.decrementAndGet();
        });
    List<String> paces = new CopyOnWriteArrayList<>();
    // Slow reads arrive far more often than the run looks, so no look finds the fleet quiet.
    PaceOptions pace = new PaceOptions(true, 500, 1.0, Duration.ofMillis(250), 0);
    ScheduledExecutorService proxy = Executors.newSingleThreadScheduledExecutor();
    try {
      proxy.scheduleAtFixedRate(this::slowReads, 0, 10, TimeUnit.MILLISECONDS);
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
    assertThat(paces).first().isEqualTo("held 8");
    assertThat(paces)
        .contains("slowed 4", "slowed 2", "slowed 1")
        .noneMatch(p -> p.startsWith("sped"));
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
