package io.docshift.app.backfill;

import io.docshift.app.cli.ConfigOptions;
import io.docshift.app.cli.ForegroundRun;
import io.docshift.app.telemetry.Telemetry;
import io.docshift.backfill.Backfill;
import io.docshift.backfill.BackfillOptions;
import io.docshift.backfill.BackfillReport;
import io.docshift.backfill.MicrometerBackfillMetrics;
import io.docshift.backfill.WorkerIdentity;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.stores.CopyStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code docshift backfill}: copies the historical backlog from Cloudinary to S3, resumable,
 * verified and within the Admin API budget. Its metrics ({@code docshift.backfill.*}) go to Datadog
 * when {@code datadog.apiKey} is set; the process serves no {@code /metrics}. A run ends only when
 * the work is done, or says why not: exit codes {@value #FINISHED} finished (nothing left to copy,
 * or a dry run ended), {@value #FAILED} documents failed or mismatched (listed in the summary and
 * the ledger), {@value #FATAL} the run could not list Cloudinary at all, {@value #UNFINISHED}
 * documents are left that this run could not take: held by other live workers, or the run was
 * stopped.
 *
 * <p>Its name on ledger leases is {@code --worker-id}, or else one kept in {@code --state-dir} (see
 * {@link WorkerIdentity}), so a restarted process takes back at once what its killed predecessor
 * held.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Copies every Cloudinary document to S3 and verifies it (MD5 = Cloudinary etag, SHA-256).",
      "Resumable: run it again after any crash; several processes may share one ledger.",
      "Exit codes: 0 finished (every document copied and verified, or a dry run ended),",
      "1 documents failed or mismatched, 2 could not list Cloudinary (or bad usage),",
      "3 not finished: documents still held by other live workers, or the run was stopped."
    })
public final class BackfillCommand implements Callable<Integer> {
  static final int FINISHED = 0;
  static final int FAILED = 1;
  static final int FATAL = 2;
  static final int UNFINISHED = 3;

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Mixin PaceFlags pace;

  @Option(names = "--concurrency", description = "Parallel copies (default: backfill.concurrency).")
  Integer concurrency;

  @Option(names = "--prefix", description = "Only public ids starting with this, e.g. scans/.")
  String prefix = "";

  @Option(
      names = "--admin-calls-per-hour",
      description = "Admin API budget per hour (default: backfill.adminCallsPerHour).")
  Integer adminCallsPerHour;

  @Option(names = "--dry-run", description = "List and count what would be copied; write nothing.")
  boolean dryRun;

  @Option(
      names = "--worker-id",
      description =
          "This process's name on ledger leases; unique among running processes (default: one"
              + " kept in --state-dir, which a restarted process reuses).")
  String workerId;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where the worker's name is kept (default: the H2 ledger's directory, else"
              + " ~/.docshift).")
  Path stateDir;

  @Option(names = "--relist", description = "List Cloudinary again from the start.")
  boolean relist;

  @Option(names = "--spool-dir", description = "Where downloads are spooled (default: tmp).")
  Path spoolDir;

  private static final Pattern H2_FILE = Pattern.compile("jdbc:h2:(?:file:)?([./~][^;]*)");

  /** The JDK HTTP client's read size, fixed when its first client is built. */
  private static final String JDK_HTTP_BUFSIZE = "jdk.httpclient.bufsize";

  @Override
  public Integer call() throws InterruptedException {
    // The JDK client reads each response into fresh 16 KiB heap buffers by default; downloading
    // originals in 128 KiB reads cut the backfill's CPU by about a quarter (loadtest/RESULTS.md).
    // An explicit -Djdk.httpclient.bufsize wins.
    if (System.getProperty(JDK_HTTP_BUFSIZE) == null) {
      System.setProperty(JDK_HTTP_BUFSIZE, Integer.toString(128 * 1024));
    }
    DocShiftConfig settings = config.load();
    settings.requireNonEmpty("cloudinary.cloudName", "cloudinary.apiKey", "cloudinary.apiSecret");
    // Telemetry outlives the run: closing it posts the last Datadog step.
    try (WorkerIdentity identity =
            workerId == null ? WorkerIdentity.claim(stateDir(settings)) : null;
        Telemetry telemetry = Telemetry.start(settings);
        Ledger ledger = Ledger.open(LedgerSettings.builder(settings).build());
        // One download and one upload per copy in flight.
        CopyStores stores = CopyStores.open(settings, Math.max(64, concurrency(settings) * 2))) {
      BackfillOptions options = options(settings, identity != null ? identity.id() : workerId);
      Backfill backfill =
          Backfill.builder(options, ledger, stores.account(), stores.cloudinary(), stores.s3())
              .metrics(new MicrometerBackfillMetrics(telemetry.registry()))
              .pace(pace.options())
              .build();
      BackfillReport report = runWithProgress(backfill);
      printSummary(report, options);
      return exitCode(report, options.dryRun());
    }
  }

  /** The identity lives next to the ledger it leases from, so a data directory keeps both. */
  private Path stateDir(DocShiftConfig settings) {
    if (stateDir != null) {
      return stateDir;
    }
    Matcher h2File = H2_FILE.matcher(settings.ledger().url());
    if (h2File.lookingAt()) {
      String file = h2File.group(1).replaceFirst("^~", System.getProperty("user.home"));
      Path parent = Path.of(file).toAbsolutePath().getParent();
      if (parent != null) {
        return parent;
      }
    }
    return Path.of(System.getProperty("user.home"), ".docshift");
  }

  static int exitCode(BackfillReport report, boolean dryRun) {
    if (report.fatal().isPresent()) {
      return FATAL;
    }
    if (!report.clean()) {
      return FAILED;
    }
    return dryRun || report.finished() ? FINISHED : UNFINISHED;
  }

  private int concurrency(DocShiftConfig settings) {
    return concurrency != null ? concurrency : settings.backfill().concurrency();
  }

  private BackfillOptions options(DocShiftConfig settings, String worker) {
    BackfillOptions.Builder options =
        BackfillOptions.builder(settings.backfill())
            .prefix(prefix)
            .dryRun(dryRun)
            .relist(relist)
            .workerId(worker)
            .concurrency(concurrency(settings));
    if (adminCallsPerHour != null) {
      options.adminCallsPerHour(adminCallsPerHour);
    }
    if (spoolDir != null) {
      options.spoolDir(spoolDir);
    }
    return options.build();
  }

  /** Progress every second on a terminal, every five seconds as a log line otherwise. */
  private BackfillReport runWithProgress(Backfill backfill) throws InterruptedException {
    boolean terminal = System.console() != null;
    ProgressPrinter printer =
        new ProgressPrinter(spec.commandLine().getOut(), terminal, backfill::progress);
    return ForegroundRun.run(
        "docshift-backfill-stop",
        backfill::run,
        backfill::stop,
        printer,
        Duration.ofSeconds(terminal ? 1 : 5));
  }

  private void printSummary(BackfillReport r, BackfillOptions options) {
    boolean dry = options.dryRun();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "backfill %s in %s: copied %d (%s), skipped %d, failed %d, mismatched %d, listed %d%n",
        r.fatal().isPresent() ? "stopped" : r.finished() ? "finished" : "ended",
        ProgressPrinter.duration(r.elapsed()),
        r.copied(),
        ProgressPrinter.mebibytes(r.bytes()),
        r.skipped(),
        r.failed(),
        r.mismatches(),
        r.listed());
    print(out, "  skipped ", r.skippedByReason());
    print(out, "  failed ", r.failedByReason());
    if (dry) {
      out.printf(
          "dry run: would copy %d documents (%s)%n",
          r.wouldCopy(), ProgressPrinter.mebibytes(r.wouldCopyBytes()));
    }
    out.printf("still to copy in the ledger: %d%n", r.remaining());
    String takenBack =
        r.leasesTakenBack() == 0
            ? ""
            : " (took back " + r.leasesTakenBack() + " leases of its previous process)";
    out.printf("worker %s%s%n", options.workerId(), takenBack);
    r.fatal().ifPresent(f -> out.printf("fatal: %s%n", f));
    if (!dry) {
      List<String> why = r.whyUnfinished();
      out.println(
          why.isEmpty() ? "FINISHED: every document is copied and verified" : "NOT FINISHED:");
      why.forEach(reason -> out.printf("  %s%n", reason));
    }
    out.flush();
  }

  private static void print(PrintWriter out, String label, Map<String, Long> byReason) {
    byReason.forEach((reason, count) -> out.printf("%s%s: %d%n", label, reason, count));
  }
}
