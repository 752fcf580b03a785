package io.docshift.app.backfill;

import io.docshift.app.cli.ForegroundRun;
import io.docshift.backfill.BackfillReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a run's progress: on a terminal, one bar redrawn in place (documents, bytes, rate, ETA,
 * failures, Admin API budget); otherwise a log line per call, which the caller spaces out by a few
 * seconds so logs stay readable.
 */
final class ProgressPrinter implements ForegroundRun.Progress {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressPrinter.class);
  private static final int BAR = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final Supplier<BackfillReport> progress;

  ProgressPrinter(PrintWriter out, boolean terminal, Supplier<BackfillReport> progress) {
    this.out = out;
    this.terminal = terminal;
    this.progress = progress;
  }

  @Override
  public void print() {
    BackfillReport r = progress.get();
    String line = line(r);
    if (terminal) {
      out.print("\r" + bar(r) + " " + line + "   ");
      out.flush();
    } else {
      LOG.info("backfill: {}", line);
    }
  }

  /** Ends the bar's line so the summary starts on a fresh one. */
  @Override
  public void finish() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }

  static String line(BackfillReport r) {
    return String.format(
        Locale.ROOT,
        "%d done (%d copied, %d skipped, %d failed, %d mismatched), %s, %.1f docs/s, "
            + "%s left, ETA %s, listed %d%s, Admin API %d calls left",
        r.processed(),
        r.copied(),
        r.skipped(),
        r.failed(),
        r.mismatches(),
        mebibytes(r.bytes()),
        r.documentsPerSecond(),
        r.remaining() < 0 ? "?" : Long.toString(r.remaining()),
        r.eta().map(ProgressPrinter::duration).orElse("?"),
        r.listed(),
        r.listingComplete() ? " (complete)" : "",
        r.adminCallsRemaining());
  }

  private static String bar(BackfillReport r) {
    long total = r.processed() + Math.max(r.remaining(), 0);
    int filled = total == 0 ? 0 : (int) (BAR * r.processed() / total);
    return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]";
  }

  static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
