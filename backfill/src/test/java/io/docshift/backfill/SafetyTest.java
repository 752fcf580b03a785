package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/** The safety rules: newer dual-writes win, tombstones stay, mismatches are never verified. */
@Timeout(120)
class SafetyTest {
  @RegisterExtension static final SandboxStores STORES = new SandboxStores();

  @TempDir Path spool;

  private SandboxStores.Opened stores;
  private CloudinaryEmulator emulator;
  private Ledger ledger;
  private DocumentStore cloudinary;
  private DocumentStore realS3;
  private CountingStore s3;
  private String folder;

  @BeforeEach
  void open(TestInfo info) {
    String name = info.getTestMethod().orElseThrow().getName();
    // Each invocation of a parameterized test gets its own folder (display name "[1] 0", ...).
    boolean invocation = info.getDisplayName().startsWith("[");
    folder = invocation ? name + "-" + info.getDisplayName().replaceAll("\\W+", "") : name;
    stores = STORES.open("safety/");
    emulator = STORES.emulator();
    ledger = stores.ledger();
    cloudinary = stores.cloudinary();
    s3 = stores.s3();
    realS3 = stores.realS3();
  }

  @AfterEach
  void close() {
    stores.close();
  }

  private BackfillReport run() throws InterruptedException {
    return run(BackfillOptions.DEFAULT_SPOOL_MEMORY_BYTES);
  }

  private BackfillReport run(int spoolMemoryBytes) throws InterruptedException {
    BackfillOptions options =
        Runs.options(folder + "/", spool).spoolMemoryBytes(spoolMemoryBytes).build();
    return Runs.backfill(options, ledger, emulator, cloudinary, s3).build().run();
  }

  /** What a dual-write of a newer version puts in S3 (through the real store, not counted). */
  private byte[] dualWrite(DocumentKey key, long version) throws Exception {
    byte[] newer = ("newer bytes of " + key).getBytes(StandardCharsets.UTF_8);
    Publisher<ByteBuffer> body = AsyncRequestBody.fromBytes(newer);
    PutRequest request = PutRequest.builder(newer.length, body).cloudinaryVersion(version).build();
    realS3.put(key, request).get(30, TimeUnit.SECONDS);
    return newer;
  }

  @Test
  void newerDualWrittenObjectIsNotOverwritten() throws Exception {
    Seeded doc = Harness.seedOne(emulator, "raw", "upload", folder + "/a.pdf", new Random(1));
    byte[] newer = dualWrite(doc.key(), doc.asset().version() + 10);

    BackfillReport report = run();

    assertThat(report.skippedByReason()).containsEntry("s3_newer", 1L);
    assertThat(s3.totalPuts()).isZero();
    assertThat(Harness.storedSha256(realS3, doc.key())).contains(Harness.sha256(newer));
    assertThat(ledger.documents().find(doc.ledgerKey()).orElseThrow().state())
        .isEqualTo(S3State.ABSENT);
  }

  @Test
  void dualWriteLandingJustBeforeThePutWinsThroughTheCondition() throws Exception {
    Seeded doc = Harness.seedOne(emulator, "image", "private", folder + "/b", new Random(2));
    AtomicBoolean raced = new AtomicBoolean();
    byte[][] newer = new byte[1][];
    s3.beforePut(
        key -> {
          if (raced.compareAndSet(false, true)) {
            try {
              newer[0] = dualWrite(key, doc.asset().version() + 1);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        });

    BackfillReport report = run();

    assertThat(raced).isTrue();
    assertThat(report.skippedByReason()).containsEntry("s3_newer", 1L);
    assertThat(s3.totalPuts()).isZero(); // the conditional put was refused
    assertThat(Harness.storedSha256(realS3, doc.key())).contains(Harness.sha256(newer[0]));
  }

  @Test
  void destroyedDocumentIsNotResurrectedByAStaleListing() throws Exception {
    Seeded doc = Harness.seedOne(emulator, "raw", "private", folder + "/c.pdf", new Random(3));
    ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    ledger.documents().markDeleted(doc.ledgerKey(), "destroyed through the proxy");

    BackfillReport report = run();

    assertThat(report.listed()).isEqualTo(1); // Cloudinary still lists it
    assertThat(s3.totalPuts()).isZero();
    assertThat(Harness.storedSha256(realS3, doc.key())).isEmpty();
    assertThat(ledger.documents().find(doc.ledgerKey()).orElseThrow().state())
        .isEqualTo(S3State.DELETED);
  }

  @Test
  void destroyDuringTheCopyRemovesTheCopyAgain() throws Exception {
    Seeded doc = Harness.seedOne(emulator, "raw", "upload", folder + "/d.pdf", new Random(4));
    s3.beforePut(key -> ledger.documents().markDeleted(doc.ledgerKey(), "destroyed meanwhile"));

    BackfillReport report = run();

    assertThat(report.skippedByReason()).containsEntry("destroyed", 1L);
    assertThat(s3.totalPuts()).isEqualTo(1);
    assertThat(Harness.storedSha256(realS3, doc.key())).isEmpty();
    assertThat(ledger.documents().find(doc.ledgerKey()).orElseThrow().state())
        .isEqualTo(S3State.DELETED);
  }

  /**
   * A download that differs from the etag is refused by S3 (Content-MD5) and ends as a mismatch,
   * never verified, with nothing stored, whatever the spool memory (streamed copies do not spool).
   */
  @ParameterizedTest
  @ValueSource(ints = {0, BackfillOptions.DEFAULT_SPOOL_MEMORY_BYTES})
  void bytesThatDifferFromTheEtagAreRefusedByS3AndEndAsMismatch(int spoolMemoryBytes)
      throws Exception {
    Seeded doc =
        Harness.seedOne(emulator, "raw", "authenticated", folder + "/e.pdf", new Random(5));
    Path bin = Harness.emulatorFile(emulator, doc);
    byte[] damaged = Files.readAllBytes(bin);
    damaged[damaged.length / 2] ^= 0x5a;
    Files.write(bin, damaged);

    BackfillReport report = run(spoolMemoryBytes);

    assertThat(report.mismatches()).isEqualTo(1);
    assertThat(report.clean()).isFalse();
    assertThat(s3.totalPuts()).isZero();
    assertThat(Harness.storedSha256(realS3, doc.key())).isEmpty();
    DocumentRecord row = ledger.documents().find(doc.ledgerKey()).orElseThrow();
    assertThat(row.state()).isEqualTo(S3State.MISMATCH);
    assertThat(row.s3().md5()).isNull();
    assertThat(row.lastError()).contains(doc.asset().etag()).contains(Harness.sha256(damaged));
  }
}
