package io.docshift.app.verify;

import io.docshift.app.cli.ConfigOptions;
import io.docshift.app.cli.ForegroundRun;
import io.docshift.backfill.CloudinaryListing;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.ConfigException;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.shadow.Expected;
import io.docshift.shadow.Inventory;
import io.docshift.shadow.Verify;
import io.docshift.shadow.VerifyOptions;
import io.docshift.shadow.VerifyReport;
import io.docshift.stores.CopyStores;
import io.docshift.stores.s3.S3Inventory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code docshift verify}: proves S3 holds what Cloudinary holds, document by document, and says
 * what differs (see {@link Verify}). Exit codes: {@value #CLEAN} nothing differs (or everything
 * that did was repaired); {@value #DIFFERS} differences remain; {@value #USAGE} bad usage or
 * configuration; {@value #INCOMPLETE} no difference seen, but some documents could not be checked
 * or the walk stopped early.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that every document in S3 matches Cloudinary: missing or extra in S3, checksum or",
      "size differs, destroyed but still in S3. Walks the ledger (or, with --enumerate, Cloudinary's",
      "own listing) and lists the bucket. Documents that differ stop being served from S3.",
      "Prints each document that differs (the first "
          + FindingSample.SHOWN
          + "; all with --report).",
      "Exit codes: 0 clean, 1 differences remain, 2 usage or configuration error,",
      "3 no difference seen but the walk was incomplete (errors, stopped)."
    })
public final class VerifyCommand implements Callable<Integer> {
  static final int CLEAN = 0;
  static final int DIFFERS = 1;
  static final int USAGE = 2;
  static final int INCOMPLETE = 3;

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--deep",
      description =
          "Download and hash both stores (default: compare stored"
              + " metadata: S3's own MD5 and size against Cloudinary's etag and size).")
  boolean deep;

  @Option(
      names = "--repair",
      description =
          "Copy again from Cloudinary what differs (conditional,"
              + " verified like the backfill) and delete what was destroyed but is still in S3.")
  boolean repair;

  @Option(
      names = "--enumerate",
      description =
          "Walk Cloudinary's Admin API listing instead of the"
              + " ledger (within backfill.adminCallsPerHour).")
  boolean enumerate;

  @Option(
      names = "--concurrency",
      description = "Documents checked in parallel (default:" + " verify.concurrency).")
  Integer concurrency;

  @Option(names = "--prefix", description = "Only public ids starting with this, e.g. scans/.")
  String prefix = "";

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Also write every finding and" + " the summary as JSON to FILE.")
  Path report;

  @Option(names = "--spool-dir", description = "Where repairs spool downloads (default: tmp).")
  Path spoolDir;

  @Override
  public Integer call() throws InterruptedException {
    DocShiftConfig settings;
    VerifyOptions options;
    try {
      settings = config.load();
      settings.requireNonEmpty(
          "cloudinary.cloudName", "cloudinary.apiKey", "cloudinary.apiSecret", "s3.bucket");
      options = options(settings);
    } catch (ConfigException | IllegalArgumentException e) {
      spec.commandLine().getErr().println("docshift verify: " + e.getMessage());
      return USAGE;
    }
    try {
      return verify(settings, options);
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("docshift verify: " + e.getMessage());
      return INCOMPLETE;
    }
  }

  private VerifyOptions options(DocShiftConfig settings) {
    VerifyOptions options =
        VerifyOptions.defaults()
            .withDeep(deep)
            .withRepair(repair)
            .withPrefix(prefix)
            .withConcurrency(concurrency != null ? concurrency : settings.verify().concurrency())
            .withDocumentTimeout(
                Duration.ofMillis(
                    Math.max(60_000, 10L * settings.cloudinary().requestTimeoutMillis())));
    return spoolDir == null ? options : options.withSpoolDir(spoolDir);
  }

  private int verify(DocShiftConfig settings, VerifyOptions options) throws InterruptedException {
    int connections = Math.max(64, options.concurrency() * 3);
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(settings).build());
        CopyStores stores = CopyStores.open(settings, connections);
        S3Inventory bucket =
            S3Inventory.create(
                StoreSettings.s3(settings.s3()).maxConcurrency(connections).build());
        ReportFile file = report == null ? null : openReport(options)) {
      FindingSample sample = new FindingSample();
      CloudinaryAccount account = stores.account();
      Verify verify =
          Verify.builder(
                  options,
                  ledger,
                  inventory(settings, account, ledger, options.prefix()),
                  stores.cloudinary(),
                  stores.s3(),
                  bucket,
                  account.cloudName())
              .onFinding(
                  f -> {
                    sample.add(f);
                    if (file != null) {
                      file.finding(f);
                    }
                  })
              .build();
      VerifyReport result = runWithProgress(verify);
      int code = exitCode(result);
      new VerifySummary(spec.commandLine().getOut())
          .print(result, inventoryName(), options, sample, file != null);
      if (file != null) {
        file.finish(result, code);
      }
      return code;
    }
  }

  /**
   * A progress line on stderr when a console is attached; Ctrl-C stops cleanly (no new documents,
   * checks in flight finish, the summary and report are still written).
   */
  private VerifyReport runWithProgress(Verify verify) throws InterruptedException {
    ForegroundRun.Progress progress =
        System.console() != null
            ? new VerifyProgress(spec.commandLine().getErr(), verify::progress)
            : ForegroundRun.Progress.NONE;
    return ForegroundRun.run(
        "docshift-verify-stop", verify::run, verify::stop, progress, Duration.ofSeconds(1));
  }

  private ReportFile openReport(VerifyOptions options) {
    return ReportFile.open(report, inventoryName(), options.deep(), options.repair(), prefix);
  }

  private String inventoryName() {
    return enumerate ? "cloudinary" : "ledger";
  }

  private Inventory inventory(
      DocShiftConfig settings, CloudinaryAccount account, Ledger ledger, String prefix) {
    if (!enumerate) {
      return Inventory.ledger(ledger, prefix);
    }
    CloudinaryListing listing =
        CloudinaryListing.create(account, settings.backfill().adminCallsPerHour());
    return sink ->
        listing.forEachWithAccess(
            prefix,
            (asset, accessControlled) ->
                sink.accept(
                    accessControlled ? Expected.accessControlled(asset) : Expected.live(asset)));
  }

  static int exitCode(VerifyReport r) {
    if (r.unrepaired() > 0) {
      return DIFFERS;
    }
    return r.complete() ? CLEAN : INCOMPLETE;
  }
}
