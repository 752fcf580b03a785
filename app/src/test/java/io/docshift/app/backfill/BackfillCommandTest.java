package io.docshift.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.Main;
import io.docshift.app.sandbox.SandboxRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code docshift backfill --config DIR/docshift.conf} against a running sandbox. */
@Timeout(180)
class BackfillCommandTest {
  @TempDir Path dir;
  @TempDir Path spool;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void dryRunThenBackfillThenNothingLeftAgainstARunningSandbox() {
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
            "4");
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, ports, line -> {})) {
      String conf = sandbox.configFile().toString();
      String spoolDir = spool.toString();

      int dry = run("backfill", "--config", conf, "--dry-run", "--spool-dir", spoolDir);
      String dryOut = out.toString();
      out.getBuffer().setLength(0);
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
      String realOut = out.toString();
      out.getBuffer().setLength(0);
      int again = run("backfill", "--config", conf, "--spool-dir", spoolDir);

      assertThat(dry).as(err.toString()).isZero();
      assertThat(dryOut).contains("dry run: would copy 4 documents");
      assertThat(real).as(err.toString()).isZero();
      assertThat(realOut).contains("copied 4", "failed 0", "still to copy in the ledger: 0");
      assertThat(again).isZero();
      assertThat(out.toString()).contains("copied 0", "listed 0");
    }
  }

  @Test
  void describesItsOptions() {
    assertThat(run("backfill", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--config=FILE",
            "--set=KEY=VALUE",
            "--concurrency",
            "--prefix",
            "--admin-calls-per-hour",
            "--dry-run",
            "--worker-id");
  }

  @Test
  void aMissingCloudinaryAccountIsNamed() {
    assertThat(run("backfill", "--set", "ledger.url=jdbc:h2:mem:none")).isEqualTo(1);
    assertThat(err.toString()).contains("cloudinary.cloudName");
  }
}
