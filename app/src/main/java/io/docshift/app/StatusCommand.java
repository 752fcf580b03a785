package io.docshift.app;

import io.docshift.app.cli.ConfigOptions;
import io.docshift.app.node.ProxyNode;
import io.docshift.core.config.DatadogConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.MigrationProgress;
import io.docshift.ledger.OutboxStats;
import io.docshift.ledger.S3State;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.TrafficControlState;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code docshift status}: the migration at a glance, read from the ledger: documents per S3 state
 * and the repair outbox. Works against a running sandbox ({@code --config data/docshift.conf}) or a
 * fleet's PostgreSQL ledger.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Shows documents per S3 state, the repair outbox and the traffic state (weights, write"
            + " mode, auto-revert), read from the ledger database.")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--recount",
      description =
          "Counts every document in the ledger again first and corrects the counters the"
              + " figures are read from, if they drifted (a full scan; safe while instances run).")
  boolean recount;

  @Override
  public Integer call() {
    DocShiftConfig settings = config.load();
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(settings).build())) {
      if (recount) {
        printRecount(ledger.progress().recount());
      }
      print(ledger.documents().countByState(), ledger.outbox().stats());
      // Read like every instance reads it; a ledger no instance has used yet is seeded, as serve
      // would.
      printTraffic(ProxyNode.trafficStore(settings, ledger).read());
    }
    printMetrics(settings);
    return 0;
  }

  private void printRecount(MigrationProgress.Recount found) {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "recounted %d documents: %s%n",
        found.documents(),
        found.countersCorrected() == 0
            ? "the counters were right"
            : String.format(
                Locale.ROOT,
                "%d counters corrected, %d documents had been miscounted",
                found.countersCorrected(),
                found.documentsMiscounted()));
    out.flush();
  }

  /** Where this config sends metrics; the Datadog key itself is never shown. */
  private void printMetrics(DocShiftConfig settings) {
    PrintWriter out = spec.commandLine().getOut();
    DatadogConfig datadog = settings.datadog();
    out.printf(
        "metrics: Prometheus at %s://%s:%d/metrics (serve), Datadog %s%n",
        settings.adminTls().enabled() ? "https" : "http",
        settings.admin().host(),
        settings.admin().port(),
        datadog.enabled()
            ? "at " + datadog.uri() + " every " + datadog.stepSeconds() + " s"
            : "off (set DOCSHIFT_DATADOG_APIKEY)");
    out.flush();
  }

  private void printTraffic(TrafficControlState state) {
    PrintWriter out = spec.commandLine().getOut();
    TrafficState dials = state.effective();
    out.printf(
        "traffic: S3 read weight %d %%, writes %s, shadow reads %d %%, auto-revert %s%n",
        dials.s3ReadPercent(),
        dials.writeMode(),
        dials.shadowPercent(),
        state.autoRevert().enabled() ? (state.autoRevert().dryRun() ? "dry run" : "on") : "off");
    state
        .trip()
        .ifPresent(
            trip ->
                out.printf(
                    "AUTO-REVERTED: %s (run 'docshift traffic resume' once S3 is healthy)%n",
                    trip.reason()));
    out.flush();
  }

  private void print(Map<S3State, Long> counts, OutboxStats outbox) {
    PrintWriter out = spec.commandLine().getOut();
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    long verified = counts.getOrDefault(S3State.VERIFIED, 0L);
    out.printf("documents in the ledger: %d%n", total);
    for (S3State state : S3State.values()) {
      out.printf(
          "  %-9s %d%n", state.name().toLowerCase(Locale.ROOT), counts.getOrDefault(state, 0L));
    }
    out.printf("migrated (verified in S3): %.1f %%%n", total == 0 ? 0.0 : 100.0 * verified / total);
    out.printf(
        "repair outbox: %d pending, oldest %ds%n", outbox.depth(), outbox.oldestAge().toSeconds());
    out.flush();
  }
}
