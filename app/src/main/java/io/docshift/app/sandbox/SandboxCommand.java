package io.docshift.app.sandbox;

import io.docshift.app.cli.ConfigOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code docshift sandbox}: everything DocShift needs, in one process, on loopback. */
@Command(
    name = "sandbox",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a Cloudinary emulator, an embedded S3 (S3Proxy) and the ledger on loopback, seeds a"
          + " demo backlog into the emulator, and writes DIR/sandbox.json and DIR/docshift.conf.",
      "Restarting on the same data directory keeps its data. Stop with Ctrl-C."
    })
public final class SandboxCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "Data directory (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Documents to seed into the emulator on first start (default: sandbox.seedCount, 200).")
  Integer seedCount;

  @Option(
      names = "--seed-profile",
      paramLabel = "PROFILE",
      description =
          "Size mix of the seeded documents: demo (20 KiB-8 MiB) or backfill-bench (70%% 50-300"
              + " KiB, 25%% 1-3 MiB, 5%% 5-10 MiB; the backfill benchmark's corpus). Default:"
              + " sandbox.seedProfile, demo.")
  String seedProfile;

  @Override
  public Integer call() {
    if (seedCount != null) {
      config.overrides().put("sandbox.seedCount", Integer.toString(seedCount));
    }
    if (seedProfile != null) {
      config.overrides().put("sandbox.seedProfile", seedProfile);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    SandboxRunner sandbox =
        SandboxRunner.start(dataDir, config.configFile(), config.overrides(), progress());
    Thread hook =
        new Thread(
            () -> {
              sandbox.close();
              PrintWriter err = spec.commandLine().getErr();
              err.println("docshift sandbox: stopped; data kept in " + dataDir);
              err.flush();
              stopped.countDown();
            },
            "docshift-sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    PrintWriter out = spec.commandLine().getOut();
    out.print(Banner.render(sandbox.manifest(), sandbox.seeded()));
    out.flush();
    awaitShutdown(stopped);
    return 0;
  }

  private SandboxRunner.Progress progress() {
    PrintWriter err = spec.commandLine().getErr();
    return message -> {
      err.println(message);
      err.flush();
    };
  }

  private static void awaitShutdown(CountDownLatch stopped) {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
