package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.write.HistoryClient.Reply;
import io.docshift.app.write.HistoryOp.Outcome;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.S3State;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Renames in {@code DUAL_S3_PRIMARY} whose source S3 holds in a newer version than Cloudinary: an
 * acknowledged S3-primary overwrite whose Cloudinary write failed, its {@code cld_put} still
 * queued. Real emulator, S3Proxy and H2; Cloudinary's upload endpoint is faulted for the overwrite
 * only.
 */
@Timeout(180)
class S3PrimaryCloudinaryBehindTest {
  @RegisterExtension static final WriteRig rig = WriteRig.gated().inMode(WriteMode.DUAL_S3_PRIMARY);
  private static HistoryClient client;

  @BeforeAll
  static void setUp() {
    client = new HistoryClient(rig.stores().config().cloudinary());
  }

  /**
   * Bug: the rename moved Cloudinary's older copy, the S3 object holding the acknowledged overwrite
   * was deleted, and the source's {@code cld_put} died on the tombstone: the acknowledged bytes
   * were gone from both stores (the history checker saw the target end with other bytes, or none).
   */
  @Test
  void aRenameOfAnS3OnlyOverwriteWithAQueuedCldPutKeepsTheOverwrite() throws Exception {
    String from = "mv1/d4.bin";
    String to = "mv1/d9.bin";
    byte[] first = HistoryClient.payload("mv1", 1, 20_000);
    byte[] overwrite = HistoryClient.payload("mv1", 2, 21_000);
    overwriteCloudinaryMisses(from, first, overwrite);
    assertThat(rig.stores().cloudinary(Doc.raw(from).path()))
        .as("Cloudinary behind")
        .isEqualTo(first);

    Reply renamed = client.rename(rig.proxyUrl(), from, to);

    assertThat(renamed.outcome()).as(renamed.detail()).isEqualTo(Outcome.OK);
    // At once, before any repair: S3 (the primary) holds the overwrite under the new key.
    assertThat(WriteRig.sha(rig.stores().s3(Doc.raw(to).path())))
        .isEqualTo(WriteRig.sha(overwrite));
    assertThat(rig.stores().s3(Doc.raw(from).path())).isNull();
    assertThat(rig.stores().row("raw", to).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
    rig.drain(from, to);
    rig.assertHolds(to, overwrite);
    rig.assertHolds(from, null);
  }

  /**
   * Bug (history checker, seed 13): a rename onto an id whose {@code cld_put} was still queued (an
   * acknowledged overwrite Cloudinary missed), while S3 lacked the source, so the new key waits for
   * Cloudinary's renamed copy. The {@code cld_put} pushed S3's object of the id, which the rename
   * had replaced, over Cloudinary's renamed copy (a renamed asset keeps its older version, so S3's
   * looked newer), and both stores ended with the replaced bytes.
   */
  @Test
  void aRenameOntoAnIdWithAQueuedCldPutKeepsTheRenamedBytesWhenS3LacksTheSource() throws Exception {
    String from = "mv4/d9.bin";
    String to = "mv4/d5.bin";
    byte[] renamed = HistoryClient.payload("mv4", 1, 22_000);
    byte[] first = HistoryClient.payload("mv4", 2, 20_000);
    byte[] overwrite = HistoryClient.payload("mv4", 3, 21_000);
    // The source goes to Cloudinary only, past DocShift (S3 and the ledger never see it), first,
    // so its version is the older one.
    URI cloudinary = rig.stores().config().cloudinary().apiUrl();
    assertThat(client.upload(cloudinary, from, renamed, true).outcome()).isEqualTo(Outcome.OK);
    overwriteCloudinaryMisses(to, first, overwrite);

    Reply moved = client.rename(rig.proxyUrl(), from, to);

    assertThat(moved.outcome()).as(moved.detail()).isEqualTo(Outcome.OK);
    rig.drain(from, to);
    rig.assertHolds(to, renamed);
    rig.assertHolds(from, null);
  }

  /** Without a pending repair the rename is the plain one: both stores move the same bytes. */
  @Test
  void aRenameOfADocumentBothStoresHoldMovesIt() throws Exception {
    String from = "mv2/d1.bin";
    String to = "mv2/d2.bin";
    byte[] body = HistoryClient.payload("mv2", 1, 20_000);
    assertThat(upload(from, body).outcome()).isEqualTo(Outcome.OK);

    assertThat(client.rename(rig.proxyUrl(), from, to).outcome()).isEqualTo(Outcome.OK);

    assertMovedWithNothingToRepair(from, to, body);
  }

  /**
   * A backfilled document's S3 object carries no {@code sha256} metadata (the backfill streams, so
   * the SHA-256 is known only after the put's headers): the rename takes it from the ledger row and
   * still moves the bytes within S3 at once, instead of falling back to a repair.
   */
  @Test
  void aRenameOfABackfilledDocumentMovesItWithinS3() throws Exception {
    String from = "mv3/d1.bin";
    String to = "mv3/d2.bin";
    byte[] body = HistoryClient.payload("mv3", 1, 30_000);
    rig.mode(WriteMode.CLOUDINARY_ONLY);
    try {
      assertThat(upload(from, body).outcome()).isEqualTo(Outcome.OK);
      assertThat(rig.stores().s3(Doc.raw(from).path())).as("not dual-written").isNull();
      rig.cli().backfill();
      assertThat(rig.stores().row("raw", from).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
      assertThat(rig.stores().s3Metadata(Doc.raw(from).path())).doesNotContainKey("sha256");
    } finally {
      rig.mode(WriteMode.DUAL_S3_PRIMARY);
    }

    assertThat(client.rename(rig.proxyUrl(), from, to).outcome()).isEqualTo(Outcome.OK);

    // At once, before any repair: S3 moved its own object, and nothing is left to repair.
    assertThat(rig.stores().s3(Doc.raw(to).path())).isEqualTo(body);
    assertThat(rig.stores().s3(Doc.raw(from).path())).isNull();
    assertThat(rig.stores().row("raw", to).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
    // The checksum went along: the ledger's, declared to S3 on the renamed object's put.
    assertThat(rig.stores().row("raw", to).orElseThrow().s3().sha256())
        .isEqualTo(Bodies.sha256(body));
    assertThat(rig.stores().s3Metadata(Doc.raw(to).path()))
        .containsEntry("sha256", Bodies.sha256(body));
    assertMovedWithNothingToRepair(from, to, body);
  }

  /**
   * A signed upload that Cloudinary refuses (4xx), at write time and again in every repair. The
   * decision: the upload stays acknowledged (S3, the primary, holds it and the ledger row is
   * verified); the {@code cld_put} row is never dropped but retried with backoff, each attempt
   * counted as a failed repair ({@code docshift.repair.attempts}, operation {@code cld_put},
   * outcome {@code client_error}) with Cloudinary's refusal as the row's last error, so the
   * outbox's oldest age grows until an operator acts (the "oldest pending repair" monitor). Reads
   * keep being served from S3, also at S3 weight 0. Once Cloudinary accepts, the next repair brings
   * it level.
   */
  @Test
  void anUploadCloudinaryRefusesStaysInS3AndItsRepairIsRetriedNeverDropped() throws Exception {
    String id = "refused/doc.bin";
    byte[] body = HistoryClient.payload("refused", 1, 20_000);
    rig.cloudinaryGate().fault("POST", ".*/upload", FaultGate.Kind.HTTP_400);

    assertThat(client.upload(rig.proxyUrl(), id, body, true).outcome()).isEqualTo(Outcome.OK);
    for (int attempt = 0; attempt < 2; attempt++) {
      rig.stores().outboxDueNow();
      assertThat(rig.cli().repairOnceThroughGates()).as("repair exit code").isEqualTo(1);
    }

    assertThat(rig.stores().outbox("raw", id)).containsExactly("cld_put");
    assertThat(rig.stores().outboxRows())
        .filteredOn(row -> row.startsWith(id + " "))
        .singleElement()
        .asString()
        .contains("attempts=2")
        .contains("400");
    assertThat(rig.stores().s3(Doc.raw(id).path())).isEqualTo(body);
    assertThat(rig.stores().cloudinary(Doc.raw(id).path())).isNull();
    assertThat(rig.stores().row("raw", id).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
    rig.readWeight(0);
    HttpResponse<byte[]> read = rig.get(Doc.raw(id).path());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(body);

    rig.cloudinaryGate().heal();
    rig.stores().outboxDueNow();
    assertThat(rig.cli().repairOnceThroughGates()).as("repair exit code").isZero();

    assertThat(rig.stores().outbox("raw", id)).isEmpty();
    assertThat(rig.stores().cloudinary(Doc.raw(id).path())).isEqualTo(body);
  }

  /**
   * Bug (history checker, 10 kills): a destroy tombstoned the row, then an S3-primary upload
   * reached S3 and its process died before the ledger write. Its {@code cld_put} met the tombstone,
   * destroyed the Cloudinary copy and left S3 holding the upload under a tombstone. Played here by
   * an upload whose Cloudinary write fails, then the row tombstoned and dated ten seconds back, as
   * if the destroy came first and the upload's ledger write was lost.
   */
  @Test
  void anUploadThatReachedS3AfterADestroyIsRepairedIntoCloudinary() throws Exception {
    String id = "revive-s3/doc.bin";
    byte[] first = HistoryClient.payload("revive-s3", 1, 20_000);
    byte[] last = HistoryClient.payload("revive-s3", 2, 21_000);
    overwriteCloudinaryMisses(id, first, last);
    rig.stores().ledger().documents().markDeleted(rig.stores().key("raw", id), "destroyed first");
    rig.stores().ageRow("raw", id, Duration.ofSeconds(10));

    rig.drain(id);

    rig.assertHolds(id, last);
  }

  /**
   * Uploads {@code first} to both stores, then {@code overwrite} acknowledged from S3 while
   * Cloudinary's upload fails: Cloudinary is behind, its {@code cld_put} queued.
   */
  private static void overwriteCloudinaryMisses(String id, byte[] first, byte[] overwrite)
      throws Exception {
    assertThat(upload(id, first).outcome()).isEqualTo(Outcome.OK);
    rig.cloudinaryGate().fault("POST", ".*/upload", FaultGate.Kind.HTTP_500);
    assertThat(upload(id, overwrite).outcome()).isEqualTo(Outcome.OK);
    rig.cloudinaryGate().heal();
    assertThat(rig.stores().outbox("raw", id)).as("queued").anyMatch(r -> r.contains("cld_put"));
  }

  private static Reply upload(String id, byte[] body) {
    return client.upload(rig.proxyUrl(), id, body, true);
  }

  /** Both stores hold {@code body} under {@code to} and nothing under {@code from}; no repair. */
  private static void assertMovedWithNothingToRepair(String from, String to, byte[] body)
      throws Exception {
    assertThat(rig.stores().outbox("raw", to)).as("nothing to repair").isEmpty();
    rig.assertHolds(to, body);
    rig.assertHolds(from, null);
  }
}
