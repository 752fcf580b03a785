package io.docshift.app;

import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.WriteMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code docshift} commands in-process and keeps what they printed. */
public final class CliHarness {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs one command line; returns its exit code. */
  public int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  public String out() {
    return out.toString();
  }

  public String err() {
    return err.toString();
  }

  /** Forgets what was printed so far. */
  public void clear() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }

  /** Config overrides for a sandbox on ephemeral ports with {@code seedCount} demo documents. */
  public static Map<String, String> ephemeralSandbox(int seedCount) {
    return Map.of(
        "sandbox.cloudinaryPort", "0",
        "sandbox.s3Port", "0",
        "proxy.port", "0",
        "admin.port", "0",
        "sandbox.seedCount", Integer.toString(seedCount));
  }

  /**
   * A sandbox on ephemeral ports with no demo documents, writing in {@code mode}, whose own repair
   * worker is off: the stores and ledger of a crash test that runs DocShift as a child process and
   * drains the repairs itself once its kills are over.
   */
  public static SandboxRunner crashSandbox(Path dataDir, WriteMode mode) {
    Map<String, String> overrides = new HashMap<>(ephemeralSandbox(0));
    overrides.put("repair.enabled", "false");
    overrides.put("traffic.writeMode", mode.name());
    return SandboxRunner.start(dataDir, null, overrides, line -> {});
  }
}
