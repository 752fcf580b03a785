package io.docshift.app.repair;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.SeededCopies;
import io.docshift.backfill.RepairReport;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.S3ReadClient;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentTurns;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.LogCanary;
import io.docshift.testkit.SandboxConfigKeys;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The repair worker {@code docshift serve} and {@code docshift repair --once} run copies on the
 * clients {@code s3.readClient} names, as the backfill does: a queued {@code put} of a document
 * only Cloudinary holds ends with S3 holding its bytes and the row verified, on either.
 */
@Timeout(120)
class RepairRuntimeTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @ParameterizedTest
  @EnumSource(S3ReadClient.class)
  void aQueuedPutCopiesTheDocumentOnTheConfiguredClients(S3ReadClient client) throws Exception {
    Map<String, String> keys =
        SandboxConfigKeys.of(CLOUDINARY.emulator(), S3.s3().endpoint(), "repair");
    keys.put("s3.readClient", client.name());
    DocShiftConfig config = DocShiftConfig.builder().overrides(keys).build();
    SeededCopies docs = new SeededCopies(CLOUDINARY.emulator(), config);
    LedgerKey key = docs.seedRaw("repair-" + client + "/a.bin", 200_000);

    try (LogCanary logs = LogCanary.start();
        Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
      ledger.outbox().enqueue(key, RepairOperation.PUT, "dual-write crashed");
      RepairReport report;
      try (RepairRuntime repairs =
          RepairRuntime.open(config, ledger, MetricsRecorder.NOOP, DocumentTurns.NONE)) {
        report = repairs.runOnce();
      }

      assertThat(report.applied()).isEqualTo(1);
      assertThat(report.failed()).isZero();
      DocumentRecord row = ledger.documents().find(key).orElseThrow();
      assertThat(row.state()).isEqualTo(S3State.VERIFIED);
      assertThat(docs.s3Sha256(key)).contains(row.s3().sha256()).contains(docs.sha256(key));
      assertThat(logs.text()).contains(SeededCopies.announcement(client));
    }
  }
}
