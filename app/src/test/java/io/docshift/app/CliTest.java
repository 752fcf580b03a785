package io.docshift.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.sandbox.SandboxRunner;
import java.nio.file.Path;
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
}
