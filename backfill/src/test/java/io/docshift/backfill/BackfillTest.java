package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.store.DocumentMeta;
import io.docshift.ledger.CheckpointKey;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End-to-end runs against the emulator and S3Proxy: copy, verify, resume, dry run, failures. */
@Timeout(120)
class BackfillTest {
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
    if (s3 != null) {
      s3.close();
    }
    if (cloudinary != null) {
      cloudinary.close();
    }
    if (ledger != null) {
      ledger.close();
    }
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
}
