package io.docshift.app.repair;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/** {@code docshift repair --once --config DIR/docshift.conf} against a running sandbox. */
@Timeout(180)
class RepairCommandTest {
  @TempDir Path dir;
  private final CliHarness cli = new CliHarness();

  @Test
  void drainsTheDueRowsPrintsWhatIsLeftAndFailsWhenARowFailed() throws Exception {
    Map<String, String> overrides = new HashMap<>(CliHarness.ephemeralSandbox(0));
    overrides.put("repair.enabled", "false"); // only the command under test drains
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, overrides, line -> {})) {
      String conf = sandbox.configFile().toString();
      DocShiftConfig config = DocShiftConfig.builder().file(sandbox.configFile()).build();
      String cloud = config.cloudinary().cloudName();
      try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build());
          CloudinaryDocumentStore cloudinary =
              CloudinaryDocumentStore.builder(StoreSettings.cloudinaryAccount(config.cloudinary()))
                  .build()) {
        byte[] bytes = "uploaded straight to Cloudinary".getBytes(StandardCharsets.UTF_8);
        DocumentKey key =
            DocumentKey.of(cloud, ResourceType.RAW, DeliveryType.UPLOAD, "cli/a.txt", null);
        cloudinary
            .put(key, PutRequest.builder(bytes.length, AsyncRequestBody.fromBytes(bytes)).build())
            .get(30, TimeUnit.SECONDS);
        LedgerKey copied = new LedgerKey(cloud, "raw", "upload", "cli/a.txt");
        ledger.outbox().enqueue(copied, RepairOperation.PUT, "dual-write crashed");

        int clean = cli.run("repair", "--once", "--config", conf);

        assertThat(clean).as(cli.err()).isZero();
        assertThat(cli.out()).contains("repair: applied 1, failed 0, remaining 0");
        assertThat(ledger.documents().find(copied).orElseThrow().state())
            .isEqualTo(S3State.VERIFIED);

        // An image whose format nobody knows has no S3 object name: it fails and stays queued.
        LedgerKey unnamed = new LedgerKey(cloud, "image", "upload", "cli/unnamed");
        ledger.outbox().enqueue(unnamed, RepairOperation.CLOUDINARY_PUT, "S3-primary write");
        cli.clear();

        int failed = cli.run("repair", "--once", "--config", conf);

        assertThat(failed).isEqualTo(1);
        assertThat(cli.out()).contains("repair: applied 0, failed 1, remaining 1");
      }
    }
  }

  @Test
  void describesItsOptions() {
    assertThat(cli.run("repair", "--help")).isZero();
    assertThat(cli.out()).contains("--once", "--config=FILE", "--set=KEY=VALUE");
  }

  @Test
  void requiresOnce() {
    assertThat(cli.run("repair")).isEqualTo(2);
    assertThat(cli.err()).contains("--once");
  }
}
