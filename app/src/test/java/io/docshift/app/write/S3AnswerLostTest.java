package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.write.HistoryClient.Reply;
import io.docshift.app.write.HistoryOp.Outcome;
import io.docshift.core.config.WriteMode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code DUAL_S3_PRIMARY} uploads that S3 stored but whose answer reached DocShift too late (held
 * back past {@code s3.writeTotalTimeoutMillis}): the client gets a 5xx and may retry or not, and
 * once the repair ran both stores and the row must agree on whatever S3 holds. A history-checker
 * finding: a new document stayed in S3 alone (its Cloudinary copy was taken back as if S3 had
 * refused it, and nothing was queued).
 */
@Timeout(180)
class S3AnswerLostTest {
  private static final int HELD_MILLIS = 10_000;

  @RegisterExtension
  static final WriteRig rig =
      WriteRig.gatedWith(Map.of("s3.writeTotalTimeoutMillis", "3000"))
          .inMode(WriteMode.DUAL_S3_PRIMARY);

  private static HistoryClient client;

  @BeforeAll
  static void setUp() {
    client = new HistoryClient(rig.stores().config().cloudinary());
  }

  @Test
  void aNewDocumentWhoseS3AnswerWasLostEndsInBothStores() throws Exception {
    String id = "lost/new.bin";
    byte[] body = HistoryClient.payload("lost", 1, 20_000);
    rig.s3Gate().delayAnswers("PUT", ".*/lost/new\\.bin", HELD_MILLIS);

    Reply r = client.upload(rig.proxyUrl(), id, body, true);

    assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.UNKNOWN);
    rig.s3Gate().heal();
    assertThat(WriteRig.sha(rig.stores().s3(Doc.raw(id).path())))
        .as("S3 stored it")
        .isEqualTo(WriteRig.sha(body));
    rig.drain(id);
    rig.assertHolds(id, body);
  }

  @Test
  void anOverwriteWhoseS3AnswerWasLostEndsInBothStoresAndTheRow() throws Exception {
    String id = "lost/overwritten.bin";
    byte[] first = HistoryClient.payload("lost", 2, 20_000);
    byte[] overwrite = HistoryClient.payload("lost", 3, 21_000);
    assertThat(client.upload(rig.proxyUrl(), id, first, true).outcome()).isEqualTo(Outcome.OK);
    rig.s3Gate().delayAnswers("PUT", ".*/lost/overwritten\\.bin", HELD_MILLIS);

    Reply r = client.upload(rig.proxyUrl(), id, overwrite, true);

    assertThat(r.outcome()).as(r.detail()).isEqualTo(Outcome.UNKNOWN);
    rig.s3Gate().heal();
    rig.drain(id);
    rig.assertHolds(id, overwrite);
  }
}
