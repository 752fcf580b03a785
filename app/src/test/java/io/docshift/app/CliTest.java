package io.docshift.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.cli.ConfigOptions;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;
  private final CliHarness cli = new CliHarness();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void everyCommandDescribesItselfAndTakesAConfigFile() {
    assertThat(run("--help")).isZero();
    assertThat(cli.out()).contains("sandbox", "status");
    for (String command : new String[] {"sandbox", "status"}) {
      cli.clear();
      assertThat(run(command, "--help")).isZero();
      assertThat(cli.out()).contains("--config=FILE", "--set=KEY=VALUE");
    }
  }

  @Test
  void anInvalidValueFailsWithTheKeyTheValueAndWhatWasExpected() {
    assertThat(run("status", "--set", "proxy.port=70000")).isEqualTo(1);
    assertThat(cli.err()).contains("proxy.port: 70000 (expected: integer 0..65535)");
  }

  @Test
  void statusReadsTheLedgerOfARunningSandboxFromAnotherConnection() {
    Map<String, String> ports = CliHarness.ephemeralSandbox(1);
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, ports, line -> {})) {
      assertThat(run("status", "--config", sandbox.configFile().toString())).isZero();
    }
    assertThat(cli.out()).contains("documents in the ledger: 0", "repair outbox: 0 pending");
    assertThat(cli.out())
        .contains("traffic: S3 read weight 0 %, writes CLOUDINARY_ONLY, shadow reads 0 %");
  }

  @Test
  void statusRecountsTheLedgerWhenAskedAndCorrectsCountersThatDrifted() throws Exception {
    Map<String, String> ports = CliHarness.ephemeralSandbox(1);
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, ports, line -> {})) {
      String config = sandbox.configFile().toString();
      assertThat(run("status", "--recount", "--config", config)).isZero();
      assertThat(cli.out()).contains("recounted 0 documents: the counters were right");

      cli.clear();
      try (Ledger ledger =
              Ledger.open(
                  LedgerSettings.builder(ConfigOptions.load(sandbox.configFile(), Map.of()))
                      .build());
          Connection c = ledger.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.executeUpdate(
            "INSERT INTO document_counts (cloud, folder, s3_state, slot, documents, bytes)"
                + " VALUES ('demo', 'lost', 'verified', 0, 4, 400)");
      }
      assertThat(run("status", "--config", config)).isZero();
      assertThat(cli.out()).contains("documents in the ledger: 4");

      cli.clear();
      assertThat(run("status", "--recount", "--config", config)).isZero();
      assertThat(cli.out())
          .contains(
              "recounted 0 documents: 1 counters corrected, 4 documents had been miscounted",
              "documents in the ledger: 0");
    }
  }
}
