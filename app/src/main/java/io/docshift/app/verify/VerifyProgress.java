package io.docshift.app.verify;

import io.docshift.app.cli.ForegroundRun;
import io.docshift.shadow.VerifyReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One progress line on stderr, redrawn in place once a second, only when a console is attached
 * (pipes and CI logs get the summary alone).
 */
final class VerifyProgress implements ForegroundRun.Progress {
  private final PrintWriter err;
  private final Supplier<VerifyReport> progress;

  VerifyProgress(PrintWriter err, Supplier<VerifyReport> progress) {
    this.err = err;
    this.progress = progress;
  }

  @Override
  public void print() {
    err.print("\r" + line(progress.get()) + "   ");
    err.flush();
  }

  /** Ends the line so the summary starts on a fresh one. */
  @Override
  public void finish() {
    err.println();
    err.flush();
  }

  static String line(VerifyReport r) {
    double seconds = Math.max(r.elapsed().toMillis() / 1000.0, 0.001);
    return String.format(
        Locale.ROOT,
        "verify: %d checked (%.1f/s), %d differences, %d repaired, %d errors, %d S3 objects listed",
        r.checked(),
        r.checked() / seconds,
        r.differences(),
        r.differences() - r.unrepaired(),
        r.errors(),
        r.listed());
  }
}
