package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.write.HistoryClient.Reply;
import io.docshift.app.write.HistoryOp.Outcome;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.RepairOperation;
import io.docshift.testkit.Eventually;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The races the history checker found, each forced in one deterministic interleaving through the
 * real emulator, S3Proxy and H2: a destroy, rename or Admin API delete has acted at Cloudinary but
 * its answer is held back (a delayed gate) when an upload of the same public_id arrives. The upload
 * must be ordered after the removal in both stores and the ledger; once the repair outbox drains,
 * the upload's bytes are in both stores, the ledger row is verified with them and no row is left.
 * Also: an upload after a destroy that Cloudinary numbers below the destroyed version, and a repair
 * that meets an S3 object left from before a destroy claiming a newer version.
 */
@Timeout(300)
class RemovalRacesTest {
  private static final int HELD_MILLIS = 3_000;
  private static final AtomicInteger IDS = new AtomicInteger();
  @RegisterExtension static final WriteRig rig = WriteRig.gated();
  private static HistoryClient client;

  /** The removal that overlaps the upload, and the write mode it is found in. */
  enum Race {
    /** Bug: Cloudinary kept the upload, S3 nothing, the ledger a tombstone. */
    DESTROY_IN_CLOUDINARY_PRIMARY(WriteMode.DUAL_CLOUDINARY_PRIMARY, "POST", ".*/destroy"),
    /** Bug: as the destroy, for a rename moving the id away. */
    RENAME_AWAY_IN_CLOUDINARY_PRIMARY(WriteMode.DUAL_CLOUDINARY_PRIMARY, "POST", ".*/rename"),
    /** Bug: the acknowledged upload ended absent from both stores. */
    ADMIN_DELETE_IN_S3_PRIMARY(WriteMode.DUAL_S3_PRIMARY, "DELETE", ".*/resources/.*"),
    /** A delete by prefix, whose ids only Cloudinary's answer names. */
    PREFIX_DELETE_IN_CLOUDINARY_PRIMARY(
        WriteMode.DUAL_CLOUDINARY_PRIMARY, "DELETE", ".*/resources/.*"),
    /** The same with S3 primary. */
    PREFIX_DELETE_IN_S3_PRIMARY(WriteMode.DUAL_S3_PRIMARY, "DELETE", ".*/resources/.*"),
    /** Bug: a delete by tag (ids known from the answer only) tombstoned the overlapping upload. */
    TAG_DELETE_IN_CLOUDINARY_PRIMARY(
        WriteMode.DUAL_CLOUDINARY_PRIMARY, "DELETE", ".*/resources/.*"),
    /** The same with S3 primary. */
    TAG_DELETE_IN_S3_PRIMARY(WriteMode.DUAL_S3_PRIMARY, "DELETE", ".*/resources/.*"),
    /** Bug: as the tag delete, for {@code delete_by_token} (its id known from the ledger). */
    TOKEN_DELETE_IN_CLOUDINARY_PRIMARY(
        WriteMode.DUAL_CLOUDINARY_PRIMARY, "POST", ".*/delete_by_token"),
    /** The same with S3 primary. */
    TOKEN_DELETE_IN_S3_PRIMARY(WriteMode.DUAL_S3_PRIMARY, "POST", ".*/delete_by_token"),
    /**
     * An overwriting rename (the history checker saw the stores differ under a verified row; its
     * cause was two repair rows of the id running side by side, see {@code RepairOrderTest} in the
     * backfill module). This interleaving converges even without the queue, through the repair; it
     * stays as the S3-primary rename case of the ordering.
     */
    RENAME_OVER_IN_S3_PRIMARY(WriteMode.DUAL_S3_PRIMARY, "POST", ".*/rename"),
    /**
     * Bug: an upload to {@code auto} was queued under {@code auto}, not beside the destroy of the
     * raw document it resolves to.
     */
    DESTROY_THEN_AUTO_UPLOAD_IN_CLOUDINARY_PRIMARY(
        WriteMode.DUAL_CLOUDINARY_PRIMARY, "POST", ".*/destroy");

    final WriteMode mode;
    final String method;
    final String path;

    Race(WriteMode mode, String method, String path) {
      this.mode = mode;
      this.method = method;
      this.path = path;
    }

    /** Whether the first upload must carry a tag and a delete token Cloudinary issued. */
    boolean tagged() {
      return name().startsWith("TAG_") || name().startsWith("TOKEN_");
    }
  }

  @BeforeAll
  static void setUp() {
    client = new HistoryClient(rig.stores().config().cloudinary());
  }

  @ParameterizedTest
  @EnumSource(Race.class)
  void anUploadOverlappingARemovalOfItsIdEndsInBothStores(Race race) throws Exception {
    rig.mode(race.mode);
    int n = IDS.incrementAndGet();
    String id = "race" + n + "/doc.bin";
    String other = "race" + n + "/other.bin";
    Reply first =
        race.tagged()
            ? client.uploadTagged(rig.proxyUrl(), id, payload(n, 1), "tag" + n)
            : upload(id, payload(n, 1));
    assertThat(first.outcome()).as("first upload: %s", first.detail()).isEqualTo(Outcome.OK);
    String token = first.json().path("delete_token").asText();
    String gone = id;
    if (race == Race.RENAME_OVER_IN_S3_PRIMARY) {
      assertThat(upload(other, payload(n, 2)).outcome()).isEqualTo(Outcome.OK);
      gone = other;
    }
    rig.cloudinaryGate().delayAnswers(race.method, race.path, HELD_MILLIS);

    CompletableFuture<Reply> removal =
        CompletableFuture.supplyAsync(() -> remove(race, id, other, "tag" + n, token));
    awaitGoneAtCloudinary(gone);
    byte[] last = payload(n, 3);
    CompletableFuture<Reply> upload =
        CompletableFuture.supplyAsync(
            () ->
                race == Race.DESTROY_THEN_AUTO_UPLOAD_IN_CLOUDINARY_PRIMARY
                    ? client.upload(rig.proxyUrl(), "auto", id, last)
                    : upload(id, last));
    Reply removed = removal.get(60, TimeUnit.SECONDS);
    Reply uploaded = upload.get(60, TimeUnit.SECONDS);

    assertThat(removed.outcome()).as("removal: %s", removed.detail()).isEqualTo(Outcome.OK);
    assertThat(uploaded.outcome()).as("upload: %s", uploaded.detail()).isEqualTo(Outcome.OK);
    rig.drain(id, other);
    rig.assertHolds(id, last);
    if (race == Race.RENAME_OVER_IN_S3_PRIMARY) {
      rig.assertHolds(other, null);
    }
  }

  /**
   * Cloudinary numbers an upload after a destroy by the clock: after quick overwrites (each one
   * version up) that is below the destroyed version. The ledger must take it all the same. With
   * {@code s3Refuses}, the destroy's S3 delete fails (the old object stays, carrying the higher
   * version) and so does the upload's S3 write: the repair must replace the leftover with
   * Cloudinary's bytes instead of failing forever on "S3 holds a newer version".
   */
  @ParameterizedTest(name = "S3 refuses: {0}")
  @ValueSource(booleans = {false, true})
  void anUploadAfterADestroyWithALowerVersionEndsInBothStores(boolean s3Refuses) throws Exception {
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    int n = IDS.incrementAndGet();
    String id = "lower" + n + "/doc.bin";
    long destroyed = overwrittenQuickly(id, n);
    if (s3Refuses) {
      rig.s3Gate().fault("DELETE", ".*", FaultGate.Kind.HTTP_500);
    }
    assertThat(client.destroy(rig.proxyUrl(), id).outcome()).isEqualTo(Outcome.OK);
    if (s3Refuses) {
      rig.s3Gate().fault("PUT", ".*", FaultGate.Kind.HTTP_500);
    }
    byte[] last = payload(n, 9);
    Reply uploaded = upload(id, last);

    assertThat(version(uploaded)).as("version after the destroy").isLessThan(destroyed);
    if (s3Refuses) {
      assertThat(rig.stores().s3(Doc.raw(id).path())).as("leftover").isEqualTo(payload(n, 5));
      rig.s3Gate().heal();
    }
    rig.drain(id);
    rig.assertHolds(id, last);
  }

  /**
   * Two instances delete one id at the same moment (a destroy on one, an Admin API delete on the
   * other, released together): whichever Cloudinary takes first, both answers are success or "not
   * found", and once the outbox drains the id is absent from both stores, tombstoned in the ledger,
   * with no repair row left.
   */
  @ParameterizedTest
  @EnumSource(
      value = WriteMode.class,
      names = {"DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void concurrentDeletesOfOneIdOnTwoInstancesLeaveItGoneEverywhere(WriteMode mode)
      throws Exception {
    URI second = rig.startSecondNode();
    rig.mode(mode);
    int n = IDS.incrementAndGet();
    String id = "twodel" + n + "/doc.bin";
    assertThat(upload(id, payload(n, 1)).outcome()).isEqualTo(Outcome.OK);
    CyclicBarrier together = new CyclicBarrier(2);

    CompletableFuture<Reply> destroy =
        CompletableFuture.supplyAsync(
            () -> after(together, () -> client.destroy(rig.proxyUrl(), id)));
    CompletableFuture<Reply> adminDelete =
        CompletableFuture.supplyAsync(() -> after(together, () -> client.adminDelete(second, id)));

    Outcome destroyed = destroy.get(60, TimeUnit.SECONDS).outcome();
    Outcome deleted = adminDelete.get(60, TimeUnit.SECONDS).outcome();
    assertThat(destroyed).isIn(Outcome.OK, Outcome.NOOP);
    assertThat(deleted).isIn(Outcome.OK, Outcome.NOOP);
    assertThat(destroyed == Outcome.OK || deleted == Outcome.OK).as("one of them deleted").isTrue();
    rig.drain(id);
    rig.assertHolds(id, null);
  }

  private static Reply after(CyclicBarrier together, java.util.function.Supplier<Reply> call) {
    try {
      together.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return call.get();
  }

  /**
   * Bug (history checker, 10 kills): a destroy tombstoned the row; a later unsigned upload reached
   * Cloudinary, and its DocShift was killed before the ledger heard of it. The upload's {@code put}
   * intent then met the tombstone and left S3 empty while Cloudinary held the document. The repair
   * now asks Cloudinary and lets an upload clearly newer than the tombstone revive the row. The
   * killed writer is played by an upload sent to the emulator directly plus its intent row; the
   * destroy is moved ten seconds into the past in the ledger, as if the upload came that much
   * later.
   */
  @Test
  void anUploadThatReachedCloudinaryAfterADestroyIsRepairedIntoS3() throws Exception {
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    int n = IDS.incrementAndGet();
    String id = "revive" + n + "/doc.bin";
    assertThat(upload(id, payload(n, 1)).outcome()).isEqualTo(Outcome.OK);
    assertThat(client.destroy(rig.proxyUrl(), id).outcome()).isEqualTo(Outcome.OK);
    rig.stores().ageRow("raw", id, Duration.ofSeconds(10));
    byte[] last = payload(n, 2);
    URI emulator = rig.stores().config().cloudinary().apiUrl();
    assertThat(client.upload(emulator, id, last, true).outcome()).isEqualTo(Outcome.OK);
    rig.stores()
        .ledger()
        .outbox()
        .enqueue(rig.stores().key("raw", id), RepairOperation.PUT, "dual-write in flight");

    rig.drain(id);

    rig.assertHolds(id, last);
  }

  /**
   * Uploads {@code id} five times in a row (payloads 1 to 5): Cloudinary's version climbs one per
   * overwrite, ahead of the clock. Returns the last version.
   */
  private static long overwrittenQuickly(String id, int n) {
    long version = 0;
    for (int i = 1; i <= 5; i++) {
      version = version(upload(id, payload(n, i)));
    }
    return version;
  }

  private static Reply remove(Race race, String id, String other, String tag, String token) {
    URI node = rig.proxyUrl();
    return switch (race) {
      case DESTROY_IN_CLOUDINARY_PRIMARY, DESTROY_THEN_AUTO_UPLOAD_IN_CLOUDINARY_PRIMARY ->
          client.destroy(node, id);
      case RENAME_AWAY_IN_CLOUDINARY_PRIMARY -> client.rename(node, id, other);
      case ADMIN_DELETE_IN_S3_PRIMARY -> client.adminDelete(node, id);
      case PREFIX_DELETE_IN_CLOUDINARY_PRIMARY, PREFIX_DELETE_IN_S3_PRIMARY ->
          client.adminDeleteByPrefix(node, id.substring(0, id.indexOf('/') + 1), id);
      case RENAME_OVER_IN_S3_PRIMARY -> client.rename(node, other, id);
      case TAG_DELETE_IN_CLOUDINARY_PRIMARY, TAG_DELETE_IN_S3_PRIMARY ->
          client.adminDeleteByTag(node, tag, id);
      case TOKEN_DELETE_IN_CLOUDINARY_PRIMARY, TOKEN_DELETE_IN_S3_PRIMARY ->
          client.deleteByToken(node, token);
    };
  }

  private static Reply upload(String id, byte[] body) {
    return client.upload(rig.proxyUrl(), id, body, true);
  }

  private static long version(Reply reply) {
    assertThat(reply.outcome()).as(reply.detail()).isEqualTo(Outcome.OK);
    return reply.json().path("version").asLong();
  }

  private static byte[] payload(int n, int seq) {
    return HistoryClient.payload("races" + n, seq, 20_000 + seq * 100);
  }

  /** Waits (bounded) until Cloudinary itself no longer holds {@code id}: the removal acted. */
  private static void awaitGoneAtCloudinary(String id) {
    Eventually.until(
        Duration.ofSeconds(HELD_MILLIS / 1000),
        () -> rig.stores().cloudinary(Doc.raw(id).path()) == null,
        "removal reached Cloudinary");
  }
}
