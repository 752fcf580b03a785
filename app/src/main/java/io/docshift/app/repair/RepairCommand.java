package io.docshift.app.repair;

import io.docshift.app.cli.ConfigOptions;
import io.docshift.backfill.RepairReport;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentTurns;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code docshift repair --once}: drains the repair outbox once from this process (what every
 * serving instance does in the background while {@code repair.enabled}), e.g. after an outage or
 * when no instance runs. Exit code 0 when every due row was applied, 1 when any failed (they stay
 * in the outbox with their error and back off).
 */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description = {
      "Applies the due rows of the repair outbox: copies to S3 or Cloudinary, or deletes, so the",
      "secondary store agrees with the primary. Failed rows stay queued and back off."
    })
public final class RepairCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--once",
      required = true,
      description = "Drain the due rows once and exit (serving instances drain continuously).")
  boolean once;

  @Override
  public Integer call() throws InterruptedException {
    DocShiftConfig settings = config.load();
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(settings).build());
        RepairRuntime repairs =
            RepairRuntime.open(settings, ledger, MetricsRecorder.NOOP, DocumentTurns.NONE)) {
      RepairReport report = repairs.runOnce();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "repair: applied %d, failed %d, remaining %d (oldest %ds)%n",
          report.applied(), report.failed(), report.remaining(), report.oldestAge().toSeconds());
      out.flush();
      return report.failed() == 0 ? 0 : 1;
    }
  }
}
