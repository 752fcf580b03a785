package io.docshift.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code docshift backfill --config DIR/docshift.conf} against a running sandbox. */
@Timeout(180)
class BackfillCommandTest {
  @TempDir Path dir;
  @TempDir Path spool;
  private final CliHarness cli = new CliHarness();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void dryRunThenBackfillThenNothingLeftAgainstARunningSandbox() throws IOException {
    Map<String, String> ports = CliHarness.ephemeralSandbox(4);
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, ports, line -> {})) {
      String conf = sandbox.configFile().toString();
      String spoolDir = spool.toString();

      int dry = run("backfill", "--config", conf, "--dry-run", "--spool-dir", spoolDir);
      String dryOut = cli.out();
      cli.clear();
      int real =
          run(
              "backfill",
              "--config",
              conf,
              "--concurrency",
              "2",
              "--worker-id",
              "cli-test",
              "--spool-dir",
              spoolDir);
      String realOut = cli.out();
      cli.clear();
      int again = run("backfill", "--config", conf, "--spool-dir", spoolDir);

      assertThat(dry).as(cli.err()).isZero();
      assertThat(dryOut).contains("dry run: would copy 4 documents");
      assertThat(real).as(cli.err()).isZero();
      assertThat(realOut)
          .contains("copied 4", "failed 0", "still to copy in the ledger: 0", "worker cli-test")
          .contains("FINISHED: every document is copied and verified");
      assertThat(again).isZero();
      assertThat(cli.out()).contains("copied 0", "listed 0", "FINISHED");
      // Without --worker-id the name is kept next to the H2 ledger, for the next process to reuse.
      String kept = Files.readString(dir.resolve("backfill-worker-1.id")).strip();
      assertThat(cli.out()).contains("worker " + kept + "\n");
    }
  }

  @Test
  void describesItsOptions() {
    assertThat(run("backfill", "--help")).isZero();
    assertThat(cli.out())
        .contains(
            "--config=FILE",
            "--set=KEY=VALUE",
            "--concurrency",
            "--prefix",
            "--admin-calls-per-hour",
            "--dry-run",
            "--worker-id",
            "--state-dir",
            "3 not finished");
  }

  @Test
  void aMissingCloudinaryAccountIsNamed() {
    assertThat(run("backfill", "--set", "ledger.url=jdbc:h2:mem:none")).isEqualTo(1);
    assertThat(cli.err()).contains("cloudinary.cloudName");
  }
}
