package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import java.nio.file.Path;

/**
 * The {@code docshift} commands a write test runs against its {@link WriteRig}'s sandbox, each as
 * another instance on the sandbox's ledger.
 */
final class RigCommands {
  private final Path configFile;
  private final Path spoolDir;
  private final FaultGate s3Gate;
  private final FaultGate cloudinaryGate;

  RigCommands(Path configFile, Path spoolDir, FaultGate s3Gate, FaultGate cloudinaryGate) {
    this.configFile = configFile;
    this.spoolDir = spoolDir;
    this.s3Gate = s3Gate;
    this.cloudinaryGate = cloudinaryGate;
  }

  /**
   * {@code docshift repair --once} through the fault gates, so injected faults reach it too;
   * returns its exit code (1 when a row failed).
   */
  int repairOnceThroughGates() {
    return new CliHarness()
        .run(
            "repair",
            "--once",
            "--config",
            configFile.toString(),
            "--set",
            "cloudinary.apiUrl=" + cloudinaryGate.url(),
            "--set",
            "s3.endpoint=" + s3Gate.url());
  }

  /** {@code docshift repair --once} against the sandbox (direct, healthy stores). */
  int repairOnce() {
    return cli("repair", "--once", "--config", configFile.toString());
  }

  /** {@code docshift backfill} against the sandbox. */
  int backfill() {
    return cli("backfill", "--config", configFile.toString(), "--spool-dir", spoolDir.toString());
  }

  /**
   * {@code docshift backfill --relist --prefix prefix} against the sandbox (a completed listing is
   * listed again); what it printed. Fails the test unless it exits 0.
   */
  String backfillRelist(String prefix) {
    CliHarness cli = new CliHarness();
    int code =
        cli.run(
            "backfill",
            "--relist",
            "--prefix",
            prefix,
            "--config",
            configFile.toString(),
            "--spool-dir",
            spoolDir.toString());
    assertThat(code).as(cli.out() + cli.err()).isZero();
    return cli.out();
  }

  private static int cli(String... args) {
    CliHarness cli = new CliHarness();
    int code = cli.run(args);
    if (code != 0) {
      throw new AssertionError(String.join(" ", args) + " exited " + code + ": " + cli.err());
    }
    return code;
  }
}
