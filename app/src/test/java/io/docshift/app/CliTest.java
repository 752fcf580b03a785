package io.docshift.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.sandbox.SandboxRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void everyCommandDescribesItselfAndTakesAConfigFile() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("sandbox", "status");
    for (String command : new String[] {"sandbox", "status"}) {
      out.getBuffer().setLength(0);
      assertThat(run(command, "--help")).isZero();
      assertThat(out.toString()).contains("--config=FILE", "--set=KEY=VALUE");
    }
  }

  @Test
  void anInvalidValueFailsWithTheKeyTheValueAndWhatWasExpected() {
    assertThat(run("status", "--set", "proxy.port=70000")).isEqualTo(1);
    assertThat(err.toString()).contains("proxy.port: 70000 (expected: integer 0..65535)");
  }

  @Test
  void statusReadsTheLedgerOfARunningSandboxFromAnotherConnection() {
    Map<String, String> ports =
        Map.of(
            "sandbox.cloudinaryPort",
            "0",
            "proxy.port",
            "0",
            "admin.port",
            "0",
            "sandbox.s3Port",
            "0",
            "sandbox.seedCount",
            "1");
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, ports, line -> {})) {
      assertThat(run("status", "--config", sandbox.configFile().toString())).isZero();
    }
    assertThat(out.toString()).contains("documents in the ledger: 0", "repair outbox: 0 pending");
  }
}
