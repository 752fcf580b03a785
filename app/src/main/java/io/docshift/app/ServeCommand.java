package io.docshift.app;

import io.docshift.app.cli.ConfigOptions;
import io.docshift.app.node.ProxyNode;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code docshift serve}: runs one DocShift instance ({@link ProxyNode}: proxy on {@code
 * proxy.host:proxy.port}, admin API on {@code admin.host:admin.port}) against the configured
 * Cloudinary account, S3 bucket and ledger until stopped. SIGTERM or Ctrl-C drains it ({@link
 * ProxyNode#drain}: unready first, then no new connections, requests in flight answered) and exits
 * 0; a second signal, or {@code shutdown.drainTimeoutMillis} running out, closes what is still open
 * and exits {@value #CUT_SHORT}. The traffic state lives in the ledger database, shared by every
 * instance on it.
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

  /** Exit code of a stop whose drain was cut short (a second signal or the bound): 128 + 15. */
  static final int CUT_SHORT = 143;

  @Override
  public Integer call() throws InterruptedException, ExecutionException {
    DocShiftConfig settings = config.load();
    // The admin tokens (admin.token or admin.operatorTokens) are checked by ProxyNode.
    settings.requireNonEmpty("cloudinary.cloudName", "s3.bucket");
    Ledger ledger = Ledger.open(LedgerSettings.builder(settings).build());
    ProxyNode node;
    try {
      node = ProxyNode.start(settings, ledger);
    } catch (RuntimeException e) {
      ledger.close();
      throw e;
    }
    Runnable closeAll = once(node, ledger);
    StopSignals signals = new StopSignals();
    boolean handled = signals.install();
    CountDownLatch stopped = new CountDownLatch(1);
    // The hook does the closing itself: the JVM halts as soon as hooks finish. With the signal
    // handlers in place it only runs on other exits (SIGHUP, System.exit), after a drain is done.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!handled) {
                    drainQuietly(node, signals);
                  }
                  closeAll.run();
                  stopped.countDown();
                },
                "docshift-serve-stop"));
    // Last, after the signal handlers: whoever starts serve (an operator's script, the tests) may
    // take the banner to mean that a SIGTERM from now on is drained, not the JVM's default exit.
    printBanner(settings, node);
    if (!handled) {
      stopped.await();
      return 0;
    }
    signals.stopRequested().get();
    boolean drained = node.drain(signals.hurry());
    closeAll.run();
    return drained ? 0 : CUT_SHORT;
  }

  private static void drainQuietly(ProxyNode node, StopSignals signals) {
    try {
      node.drain(signals.hurry());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes the node, then the ledger, once, whoever asks first (the drain or the hook). */
  private static Runnable once(ProxyNode node, Ledger ledger) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        try {
          node.close();
        } finally {
          ledger.close();
        }
      }
    };
  }

  private void printBanner(DocShiftConfig settings, ProxyNode node) {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "DocShift proxy on http://%s:%d, admin API on http://%s:%d (S3 read weight %d %%)%n",
        settings.proxy().host(),
        node.proxyPort(),
        settings.admin().host(),
        node.adminPort(),
        node.traffic().current().s3ReadPercent());
    out.flush();
  }
}
