package io.docshift.backfill;

import static io.docshift.ledger.RepairOperation.CLOUDINARY_DELETE;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.store.DocumentTurns;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repair that reads a tombstone and buries it (destroys Cloudinary's asset, deletes S3's object)
 * against a rename onto that id acknowledged while the repair runs. History-checker finding ({@code
 * dual-s3-primary}, seed 13): the document a rename had just put into both stores was gone from
 * both, because the repair acted on the tombstone it had read before the rename.
 *
 * <p>On one instance the repair takes the document's turn, so the rename runs wholly before or
 * after it; across instances a bury reads the row again just before it removes anything.
 */
@Timeout(120)
class RepairTurnsTest {
  @RegisterExtension static final SandboxStores STORES = new SandboxStores("turns/");

  @TempDir Path spool;

  @Test
  void aRepairWaitsForTheDocumentsTurnAndBuriesNothingARenameAcknowledgedMeanwhile()
      throws Exception {
    HeldTurns turns = new HeldTurns();
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), STORES.s3(), spool, turns)) {
      String publicId = "turns/renamed-here.bin";
      tombstoneWithCloudinaryDeleteDue(fx, publicId);

      CompletableFuture<RepairReport> drain = runOnceInBackground(fx);
      assertThat(turns.asked.await(30, TimeUnit.SECONDS))
          .as("the repair asked for the document's turn")
          .isTrue();
      Seeded renamed = renameOnto(fx, publicId);
      turns.release.countDown();
      drain.get(60, TimeUnit.SECONDS);

      assertThat(turns.keys).containsExactly("raw/upload/" + publicId);
      assertBothStoresHold(fx, renamed);
    }
  }

  @Test
  void aBuryReadsTheRowAgainAndLeavesARowAnotherInstanceRevived() throws Exception {
    CountingStore s3 = new CountingStore(STORES.s3());
    try (RepairFixture fx = new RepairFixture(STORES.emulator(), s3, spool)) {
      String publicId = "turns/renamed-elsewhere.bin";
      tombstoneWithCloudinaryDeleteDue(fx, publicId);
      Seeded[] renamed = new Seeded[1];
      AtomicBoolean once = new AtomicBoolean();
      // Another instance's rename lands while the repair looks at S3, within the clock margin of
      // the tombstone: the repair's read of the row said "tombstone, bury it".
      s3.beforeHead(
          key -> {
            if (once.compareAndSet(false, true)) {
              renamed[0] = renameOnto(fx, publicId);
            }
          });

      fx.worker.runOnce();

      assertThat(once).isTrue();
      assertBothStoresHold(fx, renamed[0]);
    }
  }

  /**
   * A document destroyed S3 first (S3 emptied, the tombstone written now), its Cloudinary destroy
   * left to a {@code cld_delete} whose outcome is unknown; Cloudinary still holds it.
   */
  private static void tombstoneWithCloudinaryDeleteDue(RepairFixture fx, String publicId) {
    Seeded template = seed(publicId, 1);
    CloudinaryAsset now = template.ledgerAsset();
    fx.ledger
        .documents()
        .upsert(
            new CloudinaryAsset(
                now.key(),
                now.format(),
                now.version() - 60,
                "0123456789abcdef0123456789abcdef",
                10),
            UpsertOrigin.WRITE);
    fx.clock.set(Instant.now());
    fx.ledger.documents().markDeleted(template.ledgerKey(), "destroyed through the Upload API");
    fx.ledger.outbox().enqueue(template.ledgerKey(), CLOUDINARY_DELETE, "outcome unknown");
  }

  /**
   * A rename onto {@code publicId}, acknowledged: both stores hold its bytes, the row names them.
   */
  private static Seeded renameOnto(RepairFixture fx, String publicId) {
    try {
      Seeded renamed = seed(publicId, 2);
      CloudinaryAsset asset = renamed.ledgerAsset();
      byte[] bytes = bytesOf(publicId, 2);
      fx.putInS3(renamed.key(), bytes, asset.version());
      fx.ledger.documents().upsert(asset, UpsertOrigin.ORDERED_WRITE);
      fx.ledger.documents().recordWrite(asset, RepairFixture.hex("MD5", bytes), renamed.sha256());
      assertThat(fx.row(asset.key()).state()).isEqualTo(S3State.VERIFIED);
      return renamed;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertBothStoresHold(RepairFixture fx, Seeded renamed) throws Exception {
    fx.assertBothStoresHold(renamed);
    assertThat(fx.ledger.outbox().stats().depth()).isZero();
  }

  private static CompletableFuture<RepairReport> runOnceInBackground(RepairFixture fx) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return fx.worker.runOnce();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  /** Turns the test holds: the first repair to ask waits until the test releases it. */
  private static final class HeldTurns implements DocumentTurns {
    final List<String> keys = new CopyOnWriteArrayList<>();
    final CountDownLatch asked = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Turn await(String resourceType, String type, String publicId)
        throws InterruptedException {
      keys.add(resourceType + "/" + type + "/" + publicId);
      asked.countDown();
      release.await();
      return () -> {};
    }
  }

  private static Seeded seed(String publicId, int generation) {
    return Harness.seedRaw(STORES.emulator(), publicId, bytesOf(publicId, generation));
  }

  private static byte[] bytesOf(String publicId, int generation) {
    byte[] data = new byte[2048];
    new Random(publicId.hashCode() * 31L + generation).nextBytes(data);
    byte[] tag =
        ("generation " + generation + " of " + publicId + "\n").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tag, 0, data, 0, tag.length);
    return data;
  }
}
