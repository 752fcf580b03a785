package io.docshift.app.sandbox;

import static java.util.Objects.requireNonNull;

import io.docshift.app.cli.ConfigOptions;
import io.docshift.app.node.ProxyNode;
import io.docshift.app.node.StartedParts;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.Ledger;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.EmulatorConfig;
import io.docshift.sandbox.s3.EmbeddedS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

/**
 * Starts the sandbox's parts on loopback in one process, in dependency order, and stops them in
 * reverse: embedded S3, the Cloudinary emulator, the ledger, the demo seed, the DocShift proxy
 * (read path, on {@code proxy.port}), then the files other processes read ({@code sandbox.json},
 * {@code docshift.conf}). A part that fails to start stops those already running, so a failed start
 * leaves no port bound.
 */
public final class SandboxRunner implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  static final String BUCKET = "docshift";

  /** The emulated account's upload preset for unsigned (browser) uploads. */
  public static final String UNSIGNED_PRESET = "docshift-unsigned";

  /** An upload preset of the emulated account that only signed uploads may name. */
  public static final String SIGNED_PRESET = "docshift-signed";

  /** Receives one line per start-up step, for the console. */
  @FunctionalInterface
  public interface Progress {
    void report(String message);
  }

  private final StartedParts running = new StartedParts();
  private SandboxManifest manifest;
  private SeedSummary seeded;
  private EmbeddedS3 s3;

  private SandboxRunner() {}

  /**
   * Starts a sandbox over {@code dataDir}, configured by defaults, the optional config file, the
   * environment and {@code overrides} (in increasing precedence).
   *
   * @throws IllegalStateException (or a config error) when a part cannot start; nothing is left
   *     running
   */
  public static SandboxRunner start(
      Path dataDir, Path configFile, Map<String, String> overrides, Progress progress) {
    requireNonNull(dataDir, "dataDir");
    requireNonNull(overrides, "overrides");
    requireNonNull(progress, "progress");
    SandboxRunner runner = new SandboxRunner();
    try {
      runner.startParts(absoluteDir(dataDir), configFile, overrides, progress);
      return runner;
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  private void startParts(
      Path dir, Path configFile, Map<String, String> overrides, Progress progress) {
    DocShiftConfig config = ConfigOptions.load(configFile, overrides);
    SandboxCredentials credentials =
        SandboxCredentials.loadOrCreate(dir.resolve(SandboxManifest.FILE_NAME), new SecureRandom());
    progress.report("starting S3 (S3Proxy) ...");
    EmbeddedS3 s3 = started(startS3(dir, config, credentials));
    this.s3 = s3;
    progress.report("starting the Cloudinary emulator ...");
    CloudinaryEmulator emulator = started(startEmulator(dir, config, credentials));
    SandboxWiring wiring = new SandboxWiring(dir, config, credentials, s3, emulator);
    progress.report("opening the ledger ...");
    Ledger ledger = started(Ledger.open(wiring.ledgerSettings()));
    seeded = DemoSeeder.seedIfNeeded(emulator, dir, config.sandbox(), progress);
    progress.report("starting the DocShift proxy and admin API ...");
    ProxyNode node = started(ProxyNode.start(wiring.config(), ledger));
    wiring = wiring.withPorts(node.proxyPort(), node.adminPort());
    manifest = wiring.manifest(wiring.write());
    manifest.write();
  }

  private static EmbeddedS3 startS3(
      Path dir, DocShiftConfig config, SandboxCredentials credentials) {
    return EmbeddedS3.start(
        dir.resolve("s3"),
        HOST,
        config.sandbox().s3Port(),
        BUCKET,
        credentials.s3AccessKey(),
        credentials.s3SecretKey());
  }

  private static CloudinaryEmulator startEmulator(
      Path dir, DocShiftConfig config, SandboxCredentials credentials) {
    return CloudinaryEmulator.start(
        EmulatorConfig.builder()
            .host(HOST)
            .port(config.sandbox().cloudinaryPort())
            .dataDir(dir.resolve("cloudinary"))
            .cloudName(credentials.cloudName())
            .apiKey(credentials.apiKey())
            .apiSecret(credentials.apiSecret())
            .adminCallsPerHour(config.backfill().adminCallsPerHour())
            .bulkDeletePageSize(config.sandbox().bulkDeletePageSize())
            .uploadPreset(UNSIGNED_PRESET, true)
            .uploadPreset(SIGNED_PRESET, false)
            .build());
  }

  private <T extends AutoCloseable> T started(T part) {
    return running.add(part);
  }

  private static Path absoluteDir(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir, e);
    }
  }

  /** Endpoints and credentials of the running sandbox. */
  SandboxManifest manifest() {
    return manifest;
  }

  /** The embedded S3, so fault tests can stop it behind DocShift's back. */
  EmbeddedS3 embeddedS3() {
    return s3;
  }

  /** The demo backlog the emulator holds. */
  SeedSummary seeded() {
    return seeded;
  }

  /** {@code DIR/docshift.conf}: the configuration other processes use to reach this sandbox. */
  public Path configFile() {
    return manifest.configFile();
  }

  /** Stops every started part, newest first; safe to call more than once. */
  @Override
  public void close() {
    running.close();
  }
}
