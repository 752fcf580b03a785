package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.S3State;
import io.docshift.stores.CopyStores;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.SandboxConfigKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backfill on {@code s3.readClient = SDK}, with the stores {@code docshift backfill} opens for
 * it ({@link CopyStores}): the JDK client's downloads and the SDK's puts copy a mixed backlog,
 * verified and byte-identical. Every other test of this module copies on the Netty clients.
 */
@Timeout(120)
class SdkClientsBackfillTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spool;

  @Test
  void copiesAMixedBacklogVerifiedOnTheJdkClientAndTheSdk() throws Exception {
    Map<String, String> keys =
        SandboxConfigKeys.of(CLOUDINARY.emulator(), S3.s3().endpoint(), "sdk-backfill");
    keys.put("s3.readClient", "SDK");
    DocShiftConfig config = DocShiftConfig.builder().overrides(keys).build();
    List<Seeded> docs = Harness.seed(CLOUDINARY.emulator(), "sdk", 9, 3);

    try (Ledger ledger = Runs.h2Ledger();
        CopyStores stores = CopyStores.open(config, 64)) {
      assertThat(stores.cloudinary()).isInstanceOf(CloudinaryDocumentStore.class);
      assertThat(stores.s3()).isInstanceOf(S3DocumentStore.class);
      BackfillReport report =
          Backfill.builder(
                  Runs.options("sdk/", spool).build(),
                  ledger,
                  stores.account(),
                  stores.cloudinary(),
                  stores.s3())
              .sleeper(duration -> {})
              .build()
              .run();

      assertThat(report.clean()).isTrue();
      assertThat(report.copied()).isEqualTo(docs.size());
      assertThat(report.remaining()).isZero();
      Harness.assertAllCopied(stores.s3(), docs);
      for (Seeded doc : docs) {
        DocumentRecord row = ledger.documents().find(doc.ledgerKey()).orElseThrow();
        assertThat(row.state()).isEqualTo(S3State.VERIFIED);
        assertThat(row.s3().sha256()).isEqualTo(doc.sha256());
      }
    }
    assertThat(spool).isEmptyDirectory();
  }
}
