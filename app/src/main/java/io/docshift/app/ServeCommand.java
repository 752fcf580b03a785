package io.docshift.app;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.ledger.Ledger;
import io.docshift.core.ledger.LedgerSettings;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.core.traffic.SettableTrafficState;
import io.docshift.proxy.ReadProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code docshift serve}: runs the proxy on {@code proxy.host:proxy.port} against the configured
 * Cloudinary account, S3 bucket and ledger until interrupted (Ctrl-C or SIGTERM stop it cleanly).
 * The S3 read weight starts at {@code traffic.s3ReadPercent}.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the DocShift proxy: clients keep Cloudinary delivery URLs and change only the host;",
      "originals are read from S3 or Cloudinary by the S3 read weight and the ledger."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws InterruptedException {
    DocShiftConfig settings = config.load();
    require(!settings.cloudinary().cloudName().isEmpty(), "cloudinary.cloudName");
    require(!settings.s3().bucket().isEmpty(), "s3.bucket");
    CountDownLatch stopped = new CountDownLatch(1);
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(settings).build());
        ReadProxy proxy =
            ReadProxy.start(
                settings,
                ledger,
                SettableTrafficState.fromConfig(settings.traffic()),
                new MicrometerMetricsRecorder(new SimpleMeterRegistry()))) {
      Thread hook = new Thread(stopped::countDown, "docshift-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "DocShift proxy listening on http://%s:%d (S3 read weight %d %%)%n",
          settings.proxy().host(), proxy.port(), settings.traffic().s3ReadPercent());
      out.flush();
      stopped.await();
    }
    return 0;
  }

  private static void require(boolean present, String key) {
    if (!present) {
      throw new IllegalArgumentException(key + ": <empty> (expected: set, to serve)");
    }
  }
}
