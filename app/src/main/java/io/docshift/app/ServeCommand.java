package io.docshift.app;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.ledger.Ledger;
import io.docshift.core.ledger.LedgerSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code docshift serve}: runs one DocShift instance ({@link ProxyNode}: proxy on {@code
 * proxy.host:proxy.port}, admin API on {@code admin.host:admin.port}) against the configured
 * Cloudinary account, S3 bucket and ledger until interrupted; Ctrl-C or SIGTERM stop it cleanly.
 * The traffic state lives in the ledger database, shared by every instance on it.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the DocShift proxy: clients keep Cloudinary delivery URLs and change only the host;",
      "originals are read from S3 or Cloudinary by the S3 read weight and the ledger.",
      "The admin API (traffic, audit, migration, /metrics) listens on admin.port."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws InterruptedException {
    DocShiftConfig settings = config.load();
    settings.requireNonEmpty("cloudinary.cloudName", "s3.bucket", "admin.token");
    Ledger ledger = Ledger.open(LedgerSettings.builder(settings).build());
    ProxyNode node;
    try {
      node = ProxyNode.start(settings, ledger);
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // The hook does the closing itself: the JVM halts as soon as hooks finish.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  ledger.close();
                  stopped.countDown();
                },
                "docshift-serve-stop"));
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "DocShift proxy on http://%s:%d, admin API on http://%s:%d (S3 read weight %d %%)%n",
        settings.proxy().host(),
        node.proxyPort(),
        settings.admin().host(),
        node.adminPort(),
        node.traffic().current().s3ReadPercent());
    out.flush();
    stopped.await();
    return 0;
  }
}
