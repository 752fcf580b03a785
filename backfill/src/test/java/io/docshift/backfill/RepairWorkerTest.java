package io.docshift.backfill;

import static io.docshift.ledger.RepairOperation.CLOUDINARY_DELETE;
import static io.docshift.ledger.RepairOperation.CLOUDINARY_PUT;
import static io.docshift.ledger.RepairOperation.DELETE;
import static io.docshift.ledger.RepairOperation.PUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each repair operation against the real emulator, S3Proxy and an H2 ledger. */
@Timeout(120)
class RepairWorkerTest {
  @RegisterExtension static final SandboxStores STORES = new SandboxStores("repair/");

  @TempDir Path spool;

  private CloudinaryEmulator emulator;
  private RepairFixture fx;
  private String folder;

  @BeforeEach
  void open(TestInfo info) {
    folder = "repair/" + info.getTestMethod().orElseThrow().getName();
    emulator = STORES.emulator();
    fx = new RepairFixture(emulator, STORES.s3(), spool);
  }

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  private Seeded seed(String resourceType, String type, String name, long seed) {
    return Harness.seedOne(emulator, resourceType, type, folder + "/" + name, new Random(seed));
  }

  private void destroyInCloudinary(Seeded doc) throws Exception {
    assertThat(fx.cloudinary.delete(doc.key()).get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void putCopiesTheOriginalToS3AndVerifiesIt() throws Exception {
    Seeded doc = seed("raw", "upload", "a.pdf", 1);
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), PUT, "secondary write failed");

    RepairReport report = fx.worker.runOnce();

    assertThat(report.applied()).isEqualTo(1);
    assertThat(report.failed()).isZero();
    assertThat(report.remaining()).isZero();
    assertThat(Harness.storedSha256(fx.s3, doc.key())).contains(doc.sha256());
    DocumentRecord row = fx.row(doc.ledgerKey());
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().md5()).isEqualTo(doc.asset().etag());
    assertThat(row.s3().sha256()).isEqualTo(doc.sha256());
    assertThat(fx.metrics.repairs()).containsExactly("put:success");
  }

  @Test
  void putOfADocumentTheLedgerNeverSawLearnsItFromCloudinaryFirst() throws Exception {
    Seeded doc = seed("image", "private", "b", 2);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), PUT, "dual-write crashed before the ledger");

    RepairReport report = fx.worker.runOnce();

    assertThat(report.applied()).isEqualTo(1);
    DocumentRecord row = fx.row(doc.ledgerKey());
    assertThat(row.asset()).isEqualTo(doc.ledgerAsset()); // format, version, etag, bytes
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(Harness.storedSha256(fx.s3, doc.key())).contains(doc.sha256());
  }

  @Test
  void putOfATombstoneEmptiesS3AndNeverResurrectsEvenWhileCloudinaryHasIt() throws Exception {
    Seeded doc = seed("image", "upload", "c", 3);
    fx.migrated(doc);
    assertThat(Harness.storedSha256(fx.s3, doc.key())).contains(doc.sha256());
    fx.ledger.documents().markDeleted(doc.ledgerKey(), "destroyed through the proxy");
    fx.ledger.outbox().enqueue(doc.ledgerKey(), PUT, "read fallback");

    RepairReport report = fx.worker.runOnce();

    assertThat(report.applied()).isEqualTo(1);
    assertThat(Harness.storedSha256(fx.s3, doc.key())).isEmpty();
    assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.DELETED);
    assertThat(Harness.storedSha256(fx.cloudinary, doc.key())).contains(doc.sha256());
    fx.ledger.outbox().enqueue(doc.ledgerKey(), PUT, "again");
    fx.worker.runOnce();
    assertThat(Harness.storedSha256(fx.s3, doc.key())).isEmpty();
    assertThat(fx.metrics.repairs()).containsExactly("put:success", "put:success", "put:success");
  }

  @Test
  void putOfAnAssetCloudinaryNoLongerHasRemovesTheS3ObjectAndTombstones() throws Exception {
    Seeded doc = seed("raw", "authenticated", "d.bin", 4);
    fx.migrated(doc);
    destroyInCloudinary(doc);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), PUT, "read fallback");

    RepairReport report = fx.worker.runOnce();

    assertThat(report.applied()).isEqualTo(1);
    assertThat(Harness.storedSha256(fx.s3, doc.key())).isEmpty();
    assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.DELETED);
  }

  @Test
  void putOfAnAssetUnknownEverywhereLeavesATombstone() throws Exception {
    LedgerKey key = new LedgerKey(CloudinaryEmulatorExtension.CLOUD_NAME, "raw", "upload", folder);
    fx.ledger.outbox().enqueue(key, PUT, "dual-write crashed before both stores");

    RepairReport report = fx.worker.runOnce();

    assertThat(report.applied()).isEqualTo(1);
    assertThat(fx.row(key).state()).isEqualTo(S3State.DELETED);
  }

  @Test
  void closingGivesTheRowsTheWorkerStillHoldsBackDueNow() {
    LedgerKey key = new LedgerKey(CloudinaryEmulatorExtension.CLOUD_NAME, "raw", "upload", folder);
    fx.ledger.outbox().enqueue(key, PUT, "claimed by a drain the stop interrupted");
    assertThat(fx.ledger.outbox().claim("test-repair", Duration.ofMinutes(5), 10)).hasSize(1);
    assertThat(fx.ledger.outbox().claim("other-instance", Duration.ofMinutes(5), 10)).isEmpty();

    fx.worker.close();

    assertThat(fx.ledger.outbox().claim("other-instance", Duration.ofMinutes(5), 10))
        .as("due at once for another instance, not after the 5 minute claim")
        .singleElement()
        .satisfies(task -> assertThat(task.key()).isEqualTo(key));
  }

  @Test
  void deleteRemovesTheS3ObjectOfADestroyedAssetAndTombstones() throws Exception {
    Seeded doc = seed("image", "authenticated", "e", 5);
    fx.migrated(doc);
    destroyInCloudinary(doc); // the destroy reached Cloudinary; the writer died before the rest
    fx.ledger.outbox().enqueue(doc.ledgerKey(), DELETE, "secondary destroy failed");

    RepairReport report = fx.worker.runOnce();

    assertThat(report.applied()).isEqualTo(1);
    assertThat(Harness.storedSha256(fx.s3, doc.key())).isEmpty();
    assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.DELETED);
    assertThat(fx.metrics.repairs()).containsExactly("put:success", "delete:success");
  }

  @Test
  void deleteOfATombstoneRemovesTheS3Object() throws Exception {
    Seeded doc = seed("raw", "upload", "f.pdf", 6);
    fx.migrated(doc);
    fx.ledger.documents().markDeleted(doc.ledgerKey(), "destroyed through the proxy");
    fx.ledger.outbox().enqueue(doc.ledgerKey(), DELETE, "secondary destroy failed");

    assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

    assertThat(Harness.storedSha256(fx.s3, doc.key())).isEmpty();
    assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.DELETED);
  }

  /** A delete intent whose destroy never reached Cloudinary must not drop a live document. */
  @Test
  void deleteOfAnAssetCloudinaryStillHoldsKeepsTheVerifiedCopy() throws Exception {
    Seeded doc = seed("raw", "private", "g.pdf", 7);
    fx.migrated(doc);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), DELETE, "destroy intent, writer died");

    assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

    assertThat(Harness.storedSha256(fx.s3, doc.key())).contains(doc.sha256());
    assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.VERIFIED);
  }

  @Test
  void cloudinaryPutUploadsWhatS3Holds() throws Exception {
    String publicId = folder + "/h.txt";
    DocumentKey key =
        DocumentKey.of(
            CloudinaryEmulatorExtension.CLOUD_NAME,
            ResourceType.RAW,
            DeliveryType.PRIVATE,
            publicId,
            null);
    byte[] bytes = ("S3-primary upload of " + publicId).getBytes(StandardCharsets.UTF_8);
    fx.putInS3(key, bytes, 1_700_000_000L);
    LedgerKey ledgerKey =
        new LedgerKey(CloudinaryEmulatorExtension.CLOUD_NAME, "raw", "private", publicId);
    String md5 = RepairFixture.hex("MD5", bytes);
    fx.ledger
        .documents()
        .upsert(
            new CloudinaryAsset(ledgerKey, null, 1_700_000_000L, md5, bytes.length),
            UpsertOrigin.WRITE);
    fx.ledger.outbox().enqueue(ledgerKey, CLOUDINARY_PUT, "secondary write failed");

    RepairReport report = fx.worker.runOnce();

    assertThat(report.applied()).isEqualTo(1);
    String sha256 = RepairFixture.hex("SHA-256", bytes);
    assertThat(Harness.storedSha256(fx.cloudinary, key)).contains(sha256);
    assertThat(Harness.storedSha256(fx.s3, key)).contains(sha256);
    assertThat(fx.metrics.repairs()).containsExactly("cld_put:success");
  }

  /**
   * S3 holds a copy the copier streamed (no sha256 in its metadata; the ledger has it) and
   * Cloudinary lost the asset: the {@code cld_put} uploads S3's bytes, and the row keeps naming the
   * copy, verified with its SHA-256.
   */
  @Test
  void cloudinaryPutOfAStreamedCopyUploadsItAndTheRowKeepsItsSha256() throws Exception {
    Seeded doc = seed("raw", "upload", "m.pdf", 13);
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    fx.migrated(doc);
    assertThat(fx.s3.head(doc.key()).get(30, TimeUnit.SECONDS).sha256Hex()).isEmpty();
    destroyInCloudinary(doc);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), CLOUDINARY_PUT, "secondary write failed");

    assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

    assertThat(Harness.storedSha256(fx.cloudinary, doc.key())).contains(doc.sha256());
    assertThat(Harness.storedSha256(fx.s3, doc.key())).contains(doc.sha256());
    DocumentRecord row = fx.row(doc.ledgerKey());
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().md5()).isEqualTo(doc.asset().etag());
    assertThat(row.s3().sha256()).isEqualTo(doc.sha256());
  }

  @Test
  void cloudinaryPutReplacesOlderContentInCloudinary() throws Exception {
    Seeded doc = seed("image", "upload", "i", 8);
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    byte[] newer =
        ("%PDF-1.4\nnewer, S3-primary bytes of " + folder).getBytes(StandardCharsets.UTF_8);
    fx.putInS3(doc.key(), newer, doc.asset().version() + 5);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), CLOUDINARY_PUT, "secondary write failed");

    assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

    assertThat(Harness.storedSha256(fx.cloudinary, doc.key()))
        .contains(RepairFixture.hex("SHA-256", newer));
  }

  @Test
  void cloudinaryPutOfATombstoneWithNothingInS3DestroysInCloudinary() throws Exception {
    Seeded doc = seed("raw", "upload", "j.pdf", 9);
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    fx.ledger.documents().markDeleted(doc.ledgerKey(), "S3-primary destroy");
    fx.ledger.outbox().enqueue(doc.ledgerKey(), CLOUDINARY_PUT, "intent, writer died");

    assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

    assertThat(Harness.storedSha256(fx.cloudinary, doc.key())).isEmpty();
    assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.DELETED);
  }

  @Test
  void cloudinaryPutWithNothingInS3AndNoTombstoneLeavesCloudinaryAlone() throws Exception {
    Seeded doc = seed("raw", "upload", "k.pdf", 10);
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), CLOUDINARY_PUT, "intent, writer died");

    assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

    assertThat(Harness.storedSha256(fx.cloudinary, doc.key())).contains(doc.sha256());
    assertThat(fx.metrics.repairs()).containsExactly("cld_put:not_found");
  }

  @Test
  void cloudinaryDeleteDestroysAndTombstones() throws Exception {
    Seeded doc = seed("image", "private", "l", 11);
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), CLOUDINARY_DELETE, "secondary destroy failed");

    assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

    assertThat(Harness.storedSha256(fx.cloudinary, doc.key())).isEmpty();
    assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.DELETED);
    assertThat(fx.metrics.repairs()).containsExactly("cld_delete:success");
  }

  /** S3-primary: S3 refused a new image that Cloudinary took; the ledger never heard of it. */
  @Test
  void cloudinaryDeleteOfAnImageTheLedgerNeverSawTakesItsFormatFromCloudinary() throws Exception {
    Seeded doc = seed("image", "upload", "o", 14);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), CLOUDINARY_DELETE, "S3 refused a new upload");

    assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

    assertThat(Harness.storedSha256(fx.cloudinary, doc.key())).isEmpty();
    assertThat(fx.metrics.repairs()).containsExactly("cld_delete:success");
  }

  @Test
  void cloudinaryDeleteOfAnAssetCloudinaryNeverHadCountsAsDone() throws Exception {
    LedgerKey key = new LedgerKey(CloudinaryEmulatorExtension.CLOUD_NAME, "raw", "upload", folder);
    fx.ledger.documents().markDeleted(key, "S3-primary destroy");
    fx.ledger.outbox().enqueue(key, CLOUDINARY_DELETE, "secondary destroy failed");

    RepairReport report = fx.worker.runOnce();

    assertThat(report.applied()).isEqualTo(1);
    assertThat(report.remaining()).isZero();
  }

  @Test
  void anIntentInItsGracePeriodIsLeftAloneUntilItComesDue() throws Exception {
    Seeded doc = seed("raw", "upload", "m.pdf", 12);
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    fx.ledger.outbox().intend(doc.ledgerKey(), PUT, "dual-write", Duration.ofSeconds(30));

    RepairReport early = fx.worker.runOnce();

    assertThat(early.applied() + early.failed()).isZero();
    assertThat(early.remaining()).isEqualTo(1);
    assertThat(Harness.storedSha256(fx.s3, doc.key())).isEmpty();
    assertThat(fx.metrics.repairs()).isEmpty();

    fx.clock.advance(Duration.ofSeconds(31)); // the writer never settled it
    RepairReport due = fx.worker.runOnce();

    assertThat(due.applied()).isEqualTo(1);
    assertThat(Harness.storedSha256(fx.s3, doc.key())).contains(doc.sha256());
  }

  @Test
  void runsInTheBackgroundOnceStarted() throws Exception {
    Seeded doc = seed("raw", "upload", "n.pdf", 13);
    fx.ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.WRITE);
    fx.ledger.outbox().enqueue(doc.ledgerKey(), PUT, "secondary write failed");

    fx.worker.start();

    Eventually.until(
        Duration.ofSeconds(60),
        () -> fx.ledger.outbox().stats().depth(),
        depth -> depth == 0,
        "the running worker to drain the outbox");
    assertThat(fx.row(doc.ledgerKey()).state()).isEqualTo(S3State.VERIFIED);
  }
}
