package io.docshift.app.verify;

import io.docshift.shadow.FindingKind;
import io.docshift.shadow.VerifyOptions;
import io.docshift.shadow.VerifyReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The walk's summary on stdout: counts per kind of finding, the first findings by name, then what
 * is left.
 */
final class VerifySummary {
  private final PrintWriter out;

  VerifySummary(PrintWriter out) {
    this.out = out;
  }

  void print(
      VerifyReport r,
      String inventory,
      VerifyOptions options,
      FindingSample sample,
      boolean reportWritten) {
    out.printf(
        "verify (%s, %s%s) %s in %s: checked %d documents, listed %d S3 objects%n",
        inventory,
        options.deep() ? "deep" : "cheap",
        options.repair() ? ", repair" : "",
        r.fatal().isPresent() ? "stopped" : "finished",
        duration(r.elapsed()),
        r.checked(),
        r.listed());
    for (FindingKind kind : FindingKind.values()) {
      long found = r.found().getOrDefault(kind, 0L);
      if (found > 0) {
        long repaired = r.repaired().getOrDefault(kind, 0L);
        out.printf(
            "  %-22s %d%s%n",
            kind.tag(), found, repaired > 0 ? " (repaired " + repaired + ")" : "");
      }
    }
    sample.print(out, reportWritten);
    out.printf(
        "differences: %d, repaired %d, left %d; not checked (errors): %d%n",
        r.differences(), r.differences() - r.unrepaired(), r.unrepaired(), r.errors());
    r.fatal().ifPresent(f -> out.printf("stopped early: %s%n", f));
    out.println(r.unrepaired() == 0 && r.complete() ? "CLEAN" : "NOT CLEAN");
    out.flush();
  }

  private static String duration(Duration d) {
    long s = d.toSeconds();
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
