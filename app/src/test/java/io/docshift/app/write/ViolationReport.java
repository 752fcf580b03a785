package io.docshift.app.write;

import io.docshift.app.write.HistoryOp.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The history checker's violations with what each part knew about the violating public_ids: their
 * operations in the history, their repair-outbox rows (the whole outbox when it is short), their
 * ledger rows and the lines of the {@code serve} children's logs that name them. A run's logs and
 * ledger die with its temporary directory, and CI keeps only the build's output, so this report is
 * all a failure seen once leaves behind; it stays a few hundred lines long at most.
 */
final class ViolationReport {
  /** Public ids reported in detail; the others by their violations alone. */
  static final int IDS_IN_DETAIL = 4;

  /** Lines of each kind per public id: the latest ones, after a count of those left out. */
  static final int LINES_PER_ID = 30;

  /** An outbox this short is reported whole. */
  static final int WHOLE_OUTBOX = 30;

  /**
   * What the run's parts held.
   *
   * @param history every operation the clients ran
   * @param outbox the repair outbox's rows once the clients stopped, before the repair drain, as
   *     {@code public_id operation ...} lines
   * @param ledgerRow a public id's ledger row, as text
   * @param logs the {@code serve} children's log files
   */
  record Evidence(
      List<HistoryOp> history, List<String> outbox, Function<String, String> ledgerRow, Path logs) {
    Evidence {
      history = List.copyOf(history);
      outbox = List.copyOf(outbox);
    }
  }

  private final Evidence evidence;
  private final List<String> logLines;
  private final StringBuilder out = new StringBuilder();

  private ViolationReport(Evidence evidence) {
    this.evidence = evidence;
    this.logLines = readLog(evidence.logs());
  }

  /** The report of {@code violations} (public id to what was wrong), "no violation" if none. */
  static String of(Map<String, List<String>> violations, Evidence evidence) {
    if (violations.isEmpty()) {
      return "no violation\n";
    }
    return new ViolationReport(evidence).render(violations);
  }

  private String render(Map<String, List<String>> violations) {
    out.append("VIOLATIONS\n");
    int detailed = 0;
    for (Map.Entry<String, List<String>> v : violations.entrySet()) {
      String id = v.getKey();
      out.append("  ").append(id).append(":\n");
      v.getValue().forEach(w -> out.append("    - ").append(w).append('\n'));
      if (detailed++ < IDS_IN_DETAIL) {
        detail(id);
      }
    }
    if (violations.size() > IDS_IN_DETAIL) {
      out.append("  (only the first ").append(IDS_IN_DETAIL).append(" ids in detail)\n");
    }
    if (evidence.outbox().size() <= WHOLE_OUTBOX) {
      section("the whole repair outbox before the repair drain", evidence.outbox(), "  ");
    }
    return out.toString();
  }

  private void detail(String id) {
    section(
        "history of " + id,
        evidence.history().stream()
            .filter(op -> id.equals(op.id()) || id.equals(op.to()))
            .filter(op -> op.outcome() != Outcome.REFUSED)
            .map(HistoryOp::toString)
            .toList(),
        "    ");
    section(
        "repair outbox rows of " + id + " before the repair drain",
        evidence.outbox().stream().filter(row -> row.startsWith(id + " ")).toList(),
        "    ");
    out.append("    ledger row of ")
        .append(id)
        .append(": ")
        .append(evidence.ledgerRow().apply(id))
        .append('\n');
    section(
        "serve log lines naming " + id,
        logLines.stream().filter(line -> names(line, id)).toList(),
        "    ");
  }

  /** A heading and the latest {@link #LINES_PER_ID} of {@code lines}, saying how many were left. */
  private void section(String heading, List<String> lines, String indent) {
    out.append(indent).append(heading).append(':');
    if (lines.isEmpty()) {
      out.append(" none\n");
      return;
    }
    out.append('\n');
    int skipped = Math.max(0, lines.size() - LINES_PER_ID);
    if (skipped > 0) {
      out.append(indent).append("  (").append(skipped).append(" earlier lines left out)\n");
    }
    lines
        .subList(skipped, lines.size())
        .forEach(l -> out.append(indent).append("  ").append(l).append('\n'));
  }

  /** Whether {@code line} names {@code id} itself, not a longer id it begins (h/d1 in h/d12). */
  private static boolean names(String line, String id) {
    for (int at = line.indexOf(id); at >= 0; at = line.indexOf(id, at + 1)) {
      int end = at + id.length();
      if (end == line.length() || !idCharacter(line.charAt(end))) {
        return true;
      }
    }
    return false;
  }

  private static boolean idCharacter(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/';
  }

  private static List<String> readLog(Path log) {
    try {
      return Files.exists(log)
          ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList()
          : List.of();
    } catch (IOException e) {
      return List.of("(log not readable: " + e + ")");
    }
  }
}
