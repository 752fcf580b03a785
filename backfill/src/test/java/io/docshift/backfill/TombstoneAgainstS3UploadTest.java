package io.docshift.backfill;

import static io.docshift.ledger.RepairOperation.CLOUDINARY_DELETE;
import static io.docshift.ledger.RepairOperation.CLOUDINARY_PUT;
import static io.docshift.ledger.RepairOperation.DELETE;
import static io.docshift.ledger.RepairOperation.PUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destroy's tombstone against an upload of the same id whose process died before its ledger
 * write, with the repairs both left due. The repair must leave both stores agreeing with whatever
 * the row ends as. Two history-checker findings, one per primary:
 *
 * <ul>
 *   <li>S3-primary (both stores hold the upload, {@code cld_delete} and {@code cld_put} due): when
 *       S3's copy was written within the clock margin of the tombstone, the tombstone won and only
 *       Cloudinary's copy was destroyed, leaving the upload in S3 alone.
 *   <li>Cloudinary-primary (Cloudinary holds the upload, its {@code put} intent due): when the
 *       upload reached Cloudinary within the clock margin of the tombstone, the tombstone won and
 *       only S3 was emptied, leaving the upload in Cloudinary alone.
 * </ul>
 */
@Timeout(120)
class TombstoneAgainstS3UploadTest {
  @RegisterExtension static final SandboxStores STORES = new SandboxStores("tombstone/");

  @TempDir Path spool;

  @Test
  void anUploadWithinTheClockMarginOfTheTombstoneGoesFromBothStores() throws Exception {
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), STORES.s3(), spool)) {
      Seeded upload = uploadAfterDestroy(fx, "tombstone/close.bin", Duration.ofSeconds(1));

      assertThat(fx.worker.runOnce().applied()).isEqualTo(2);

      assertGoneFromBoth(fx, upload);
    }
  }

  @Test
  void anUploadClearlyAfterTheTombstoneLivesInBothStores() throws Exception {
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), STORES.s3(), spool)) {
      Seeded upload = uploadAfterDestroy(fx, "tombstone/later.bin", Duration.ofSeconds(10));

      assertThat(fx.worker.runOnce().applied()).isEqualTo(2);

      fx.assertBothStoresHold(upload);
    }
  }

  /**
   * History-checker finding (S3-primary): the upload above came clearly after a first destroy, but
   * an Admin API delete was acknowledged after it, while S3 refused its delete (S3 restarting). The
   * second removal must date the tombstone, or the {@code cld_put} repair revives the upload.
   */
  @Test
  void anUploadBeforeALaterAcknowledgedRemovalGoesFromBothStores() throws Exception {
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), STORES.s3(), spool)) {
      Seeded upload = uploadAfterDestroy(fx, "tombstone/removed-again.bin", Duration.ofSeconds(10));
      Instant written =
          fx.s3.head(upload.key()).get(30, TimeUnit.SECONDS).lastModified().orElseThrow();
      fx.clock.set(written.plusSeconds(20));
      fx.ledger.documents().markAllDeleted(List.of(upload.ledgerKey()), false, "admin delete");
      fx.clock.set(Instant.now());
      fx.ledger.outbox().enqueue(upload.ledgerKey(), DELETE, "S3 refused the delete");

      fx.worker.runOnce();

      assertGoneFromBoth(fx, upload);
    }
  }

  @Test
  void aCloudinaryUploadWithinTheClockMarginOfACompletedDestroyLivesInBothStores()
      throws Exception {
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), STORES.s3(), spool)) {
      Seeded upload = cloudinaryUploadAfterDestroy(fx, "tombstone/cld-close.bin");

      assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

      fx.assertBothStoresHold(upload);
    }
  }

  /**
   * The same upload while the destroy's Cloudinary side is still queued (an S3-first destroy): the
   * order is unknown, the tombstone wins, and both stores end empty.
   */
  @Test
  void aCloudinaryUploadWithinTheClockMarginOfAQueuedCloudinaryDeleteGoesFromBothStores()
      throws Exception {
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), STORES.s3(), spool)) {
      Seeded upload = cloudinaryUploadAfterDestroy(fx, "tombstone/cld-queued.bin");
      fx.ledger.outbox().enqueue(upload.ledgerKey(), CLOUDINARY_DELETE, "writer died");

      assertThat(fx.worker.runOnce().applied()).isEqualTo(2);

      assertGoneFromBoth(fx, upload);
    }
  }

  /**
   * A verified document destroyed (Cloudinary first, then the tombstone), then uploaded again to
   * Cloudinary one second later by a writer that died before S3 and the ledger heard of it: only
   * Cloudinary holds the upload, its {@code put} intent is due.
   */
  private static Seeded cloudinaryUploadAfterDestroy(RepairFixture fx, String publicId) {
    Seeded upload = seed(publicId);
    fx.ledger.documents().upsert(earlier(upload.ledgerAsset()), UpsertOrigin.WRITE);
    fx.clock.set(Instant.ofEpochSecond(upload.asset().version()).minusSeconds(1));
    fx.ledger.documents().markDeleted(upload.ledgerKey(), "destroyed through the Upload API");
    fx.clock.set(Instant.now());
    fx.ledger.outbox().enqueue(upload.ledgerKey(), PUT, "dual-write in flight");
    return upload;
  }

  /**
   * S3-primary, no destroy: the upload's writer died after both store writes, before its ledger
   * write. Both stores end with S3's object, and the row must name it, not the bytes before.
   */
  @Test
  void anUploadWhoseWriterDiedBeforeItsLedgerWriteEndsNamedByTheRow() throws Exception {
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), STORES.s3(), spool)) {
      Seeded upload = seed("tombstone/overwrite.bin");
      CloudinaryAsset asset = upload.ledgerAsset();
      fx.ledger.documents().upsert(earlier(asset), UpsertOrigin.WRITE);
      fx.putInS3(upload.key(), bytesOf("tombstone/overwrite.bin"), asset.version());
      fx.ledger.outbox().enqueue(upload.ledgerKey(), CLOUDINARY_PUT, "writer died");

      assertThat(fx.worker.runOnce().applied()).isEqualTo(1);

      assertThat(Harness.storedSha256(fx.cloudinary, upload.key())).contains(upload.sha256());
      DocumentRecord row = fx.row(upload.ledgerKey());
      assertThat(row.asset().version()).isEqualTo(asset.version());
      assertThat(row.state()).isEqualTo(S3State.VERIFIED);
      assertThat(row.s3().sha256()).isEqualTo(upload.sha256());
    }
  }

  /**
   * A verified document destroyed (S3 emptied first, the tombstone written, Cloudinary's destroy
   * left to its {@code cld_delete}), then uploaded again {@code after} the tombstone by a writer
   * that died before its ledger write: both stores hold the upload, its {@code cld_put} is due.
   */
  private static Seeded uploadAfterDestroy(RepairFixture fx, String publicId, Duration after)
      throws Exception {
    Seeded upload = seed(publicId);
    fx.ledger.documents().upsert(earlier(upload.ledgerAsset()), UpsertOrigin.WRITE);
    fx.putInS3(upload.key(), bytesOf(publicId), upload.asset().version());
    Instant written =
        fx.s3.head(upload.key()).get(30, TimeUnit.SECONDS).lastModified().orElseThrow();
    fx.clock.set(written.minus(after));
    fx.ledger.documents().markDeleted(upload.ledgerKey(), "destroyed through the Upload API");
    fx.ledger.outbox().enqueue(upload.ledgerKey(), CLOUDINARY_DELETE, "writer died");
    fx.ledger.outbox().enqueue(upload.ledgerKey(), CLOUDINARY_PUT, "writer died");
    fx.clock.set(Instant.now());
    return upload;
  }

  /** What the row held before the upload: an older version with other bytes. */
  private static CloudinaryAsset earlier(CloudinaryAsset upload) {
    return new CloudinaryAsset(
        upload.key(),
        upload.format(),
        upload.version() - 60,
        "0123456789abcdef0123456789abcdef",
        10);
  }

  private static Seeded seed(String publicId) {
    return Harness.seedRaw(STORES.emulator(), publicId, bytesOf(publicId));
  }

  private static byte[] bytesOf(String publicId) {
    byte[] data = new byte[2048];
    new Random(publicId.hashCode()).nextBytes(data);
    byte[] tag = ("upload of " + publicId + "\n").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tag, 0, data, 0, tag.length);
    return data;
  }

  /** Neither store holds {@code upload}, its row is a tombstone and nothing is left to repair. */
  private static void assertGoneFromBoth(RepairFixture fx, Seeded upload) throws Exception {
    assertThat(Harness.storedSha256(fx.cloudinary, upload.key())).isEmpty();
    assertThat(Harness.storedSha256(fx.s3, upload.key())).isEmpty();
    assertThat(fx.row(upload.ledgerKey()).state()).isEqualTo(S3State.DELETED);
    assertThat(fx.ledger.outbox().stats().depth()).isZero();
  }
}
