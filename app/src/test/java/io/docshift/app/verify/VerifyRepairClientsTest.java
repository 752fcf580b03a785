package io.docshift.app.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.SeededCopies;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.S3ReadClient;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.LogCanary;
import io.docshift.testkit.SandboxConfigKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code docshift verify --enumerate --repair} copies on the clients {@code s3.readClient} names,
 * as the backfill does: a document Cloudinary lists and S3 lacks is copied, verified, and the walk
 * ends clean, on either.
 */
@Timeout(120)
class VerifyRepairClientsTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @ParameterizedTest
  @EnumSource(S3ReadClient.class)
  void aDocumentMissingInS3IsCopiedOnTheConfiguredClients(S3ReadClient client) throws Exception {
    Map<String, String> keys =
        SandboxConfigKeys.of(CLOUDINARY.emulator(), S3.s3().endpoint(), "verify");
    keys.put("s3.readClient", client.name());
    DocShiftConfig config = DocShiftConfig.builder().overrides(keys).build();
    SeededCopies docs = new SeededCopies(CLOUDINARY.emulator(), config);
    String folder = "verify-" + client + "/";
    LedgerKey key = docs.seedRaw(folder + "a.bin", 300_000);
    List<String> args =
        new ArrayList<>(List.of("verify", "--enumerate", "--repair", "--prefix", folder));
    keys.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    CliHarness cli = new CliHarness();

    int code;
    try (LogCanary logs = LogCanary.start()) {
      code = cli.run(args.toArray(String[]::new));
      assertThat(logs.text()).contains(SeededCopies.announcement(client));
    }

    assertThat(code).as(cli.out() + cli.err()).isZero();
    assertThat(cli.out()).contains("(repaired 1)", "CLEAN");
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
      DocumentRecord row = ledger.documents().find(key).orElseThrow();
      assertThat(row.state()).isEqualTo(S3State.VERIFIED);
      assertThat(row.s3().sha256()).isEqualTo(docs.sha256(key));
    }
    assertThat(docs.s3Sha256(key)).contains(docs.sha256(key));
  }
}
