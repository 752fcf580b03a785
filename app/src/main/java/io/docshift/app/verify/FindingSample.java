package io.docshift.app.verify;

import io.docshift.shadow.Finding;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The first findings of a walk, kept to name them on the terminal (every one goes to {@code
 * --report}): a count per kind says that something differs, this says where. Thread-safe: the
 * walk's workers add to it.
 */
final class FindingSample {
  /** How many findings the terminal shows. */
  static final int SHOWN = 20;

  private final List<Finding> first = new ArrayList<>(SHOWN);
  private long total;

  synchronized void add(Finding finding) {
    total++;
    if (first.size() < SHOWN) {
      first.add(finding);
    }
  }

  /** One line per kept finding, {@code kind document (detail)}, and how many were left out. */
  synchronized void print(PrintWriter out, boolean reportWritten) {
    for (Finding f : first) {
      out.printf("  %s %s%s%n", f.kind().tag(), f.document(), suffix(f));
    }
    long more = total - first.size();
    if (more > 0) {
      out.printf(
          "  ... and %d more%s%n",
          more,
          reportWritten ? " (all in the --report file)" : "; list them all with --report FILE");
    }
  }

  private static String suffix(Finding f) {
    StringBuilder text = new StringBuilder();
    if (!f.detail().isEmpty()) {
      text.append(" (").append(f.detail()).append(')');
    }
    if (f.repaired()) {
      text.append(" repaired");
    } else if (!f.repair().isEmpty()) {
      text.append(" not repaired: ").append(f.repair());
    }
    return text.toString();
  }
}
