package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import java.nio.file.Path;

/**
 * What a crash test of the write path stands on: a sandbox in {@code mode} with its own repair
 * worker off ({@link CliHarness#crashSandbox}), a {@code docshift serve} child whose Cloudinary
 * calls pass a {@link FaultGate} (so a test holds answers back, then kills the child), and a view
 * of both stores and the ledger. Closing it stops them all, on every path.
 */
final class GatedCrashRig implements AutoCloseable {
  final SandboxRunner sandbox;
  final DocShiftConfig config;
  final FaultGate cloudinary;
  final Ledger ledger;
  final StoreProbe stores;
  final ServeChild serve;

  private GatedCrashRig(
      SandboxRunner sandbox,
      DocShiftConfig config,
      FaultGate cloudinary,
      Ledger ledger,
      StoreProbe stores,
      ServeChild serve) {
    this.sandbox = sandbox;
    this.config = config;
    this.cloudinary = cloudinary;
    this.ledger = ledger;
    this.stores = stores;
    this.serve = serve;
  }

  /** Starts the sandbox under {@code dir} and the serve child, logging to {@code dir/serve.log}. */
  static GatedCrashRig start(Path dir, WriteMode mode) throws Exception {
    SandboxRunner sandbox = CliHarness.crashSandbox(dir.resolve("sb"), mode);
    try {
      DocShiftConfig config = DocShiftConfig.builder().file(sandbox.configFile()).build();
      FaultGate cloudinary = new FaultGate(config.cloudinary().apiUrl());
      Ledger ledger = null;
      try {
        ledger = Ledger.open(LedgerSettings.builder(config).build());
        StoreProbe stores = new StoreProbe(config, ledger);
        ServeChild serve =
            ServeChild.start(
                sandbox.configFile(),
                dir.resolve("serve.log"),
                "cloudinary.apiUrl=" + cloudinary.url());
        return new GatedCrashRig(sandbox, config, cloudinary, ledger, stores, serve);
      } catch (Exception | Error e) {
        if (ledger != null) {
          ledger.close();
        }
        cloudinary.close();
        throw e;
      }
    } catch (Exception | Error e) {
      sandbox.close();
      throw e;
    }
  }

  /** Makes every outbox row due and runs {@code docshift repair --once}, which must succeed. */
  void repairOnce() throws Exception {
    stores.outboxDueNow();
    CliHarness repair = new CliHarness();
    assertThat(repair.run("repair", "--once", "--config", sandbox.configFile().toString()))
        .as(repair.err())
        .isZero();
  }

  /** Stops the child first and the sandbox last, each even when an earlier close failed. */
  @Override
  public void close() {
    try {
      serve.close();
    } finally {
      try {
        stores.close();
        ledger.close();
      } finally {
        try {
          cloudinary.close();
        } finally {
          sandbox.close();
        }
      }
    }
  }
}
