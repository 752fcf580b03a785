package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.write.HistoryClient.Reply;
import io.docshift.app.write.HistoryOp.Outcome;
import io.docshift.core.config.WriteMode;
import io.docshift.core.ledger.DocumentRecord;
import io.docshift.core.ledger.S3State;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renames in {@code DUAL_S3_PRIMARY} whose source S3 holds in a newer version than Cloudinary: an
 * acknowledged S3-primary overwrite whose Cloudinary write failed, its {@code cld_put} still
 * queued. Real emulator, S3Proxy and H2; Cloudinary's upload endpoint is faulted for the overwrite
 * only.
 */
@Timeout(180)
class S3PrimaryRenameTest {
  private static WriteRig rig;
  private static HistoryClient client;

  @TempDir static Path dir;

  @BeforeAll
  static void startRig() {
    rig = WriteRig.start(dir);
    client = new HistoryClient(rig.stores().config().cloudinary());
    rig.mode(WriteMode.DUAL_S3_PRIMARY);
  }

  @AfterAll
  static void stopRig() {
    rig.close();
  }

  @AfterEach
  void heal() {
    rig.cloudinaryGate().heal();
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
    assertThat(upload(from, first).outcome()).isEqualTo(Outcome.OK);
    rig.cloudinaryGate().fault("POST", ".*/upload", FaultGate.Kind.HTTP_500);
    assertThat(upload(from, overwrite).outcome()).isEqualTo(Outcome.OK);
    rig.cloudinaryGate().heal();
    assertThat(rig.stores().outbox("raw", from)).as("queued").anyMatch(r -> r.contains("cld_put"));
    assertThat(rig.stores().cloudinary(Doc.raw(from).path()))
        .as("Cloudinary behind")
        .isEqualTo(first);

    Reply renamed = client.rename(rig.proxyUrl(), from, to);

    assertThat(renamed.outcome()).as(renamed.detail()).isEqualTo(Outcome.OK);
    // At once, before any repair: S3 (the primary) holds the overwrite under the new key.
    assertThat(sha(rig.stores().s3(Doc.raw(to).path()))).isEqualTo(sha(overwrite));
    assertThat(rig.stores().s3(Doc.raw(from).path())).isNull();
    assertThat(rig.stores().row("raw", to).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
    drain(from, to);
    assertHolds(to, overwrite);
    assertHolds(from, null);
  }

  /** Without a pending repair the rename is the plain one: both stores move the same bytes. */
  @Test
  void aRenameOfADocumentBothStoresHoldMovesIt() throws Exception {
    String from = "mv2/d1.bin";
    String to = "mv2/d2.bin";
    byte[] body = HistoryClient.payload("mv2", 1, 20_000);
    assertThat(upload(from, body).outcome()).isEqualTo(Outcome.OK);

    assertThat(client.rename(rig.proxyUrl(), from, to).outcome()).isEqualTo(Outcome.OK);

    assertThat(rig.stores().outbox("raw", to)).as("nothing to repair").isEmpty();
    assertHolds(to, body);
    assertHolds(from, null);
  }

  private static Reply upload(String id, byte[] body) {
    return client.upload(rig.proxyUrl(), id, body, true);
  }

  /** {@code docshift repair --once} until none of {@code ids} has a repair row, within 60 s. */
  private static void drain(String... ids) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (outboxRows(ids) > 0) {
      assertThat(System.nanoTime())
          .as("outbox drained in time: %s", rig.stores().outboxRows())
          .isLessThan(deadline);
      rig.stores().outboxDueNow();
      rig.repairOnce();
    }
  }

  private static int outboxRows(String... ids) throws Exception {
    int rows = 0;
    for (String id : ids) {
      rows += rig.stores().outbox("raw", id).size();
    }
    return rows;
  }

  /** Both stores hold {@code body} (or nothing, when null) and the ledger says exactly that. */
  private static void assertHolds(String id, byte[] body) throws Exception {
    String path = Doc.raw(id).path();
    assertThat(sha(rig.stores().s3(path))).as("S3 %s", id).isEqualTo(sha(body));
    assertThat(sha(rig.stores().cloudinary(path))).as("Cloudinary %s", id).isEqualTo(sha(body));
    DocumentRecord row = rig.stores().row("raw", id).orElseThrow();
    if (body == null) {
      assertThat(row.state()).as("ledger %s", id).isEqualTo(S3State.DELETED);
    } else {
      assertThat(row.state()).as("ledger %s", id).isEqualTo(S3State.VERIFIED);
      assertThat(row.s3().sha256()).as("ledger %s", id).isEqualTo(Bodies.sha256(body));
    }
  }

  private static String sha(byte[] bytes) {
    return bytes == null ? null : Bodies.sha256(bytes);
  }
}
