package io.docshift.app.write;

import io.docshift.app.write.HistoryOp.Kind;
import io.docshift.app.write.HistoryOp.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Holds a history against the final state of one public_id, in the spirit of a set checker: the
 * state of the last acknowledged operation (by completion), or of any operation that may be ordered
 * after it (acknowledged ones overlapping it, indeterminate ones that can have taken effect after
 * it started), is the only state both stores may hold. Before any acknowledged operation the id may
 * be absent or hold what an indeterminate write wrote.
 */
final class HistoryChecker {
  /** "Absent" as a state. */
  static final String ABSENT = "absent";

  private final List<HistoryOp> history;
  private final Set<String> writable = new HashSet<>();

  HistoryChecker(List<HistoryOp> history) {
    this.history = List.copyOf(history);
    for (HistoryOp op : history) {
      if (op.kind().writes() && (op.outcome() == Outcome.OK || op.outcome().indeterminate())) {
        writable.add(op.sha256());
      }
    }
  }

  /** Payload digests some acknowledged or indeterminate authenticated write may have stored. */
  boolean couldHaveBeenWritten(String sha256) {
    return writable.contains(sha256);
  }

  /** The states ({@link #ABSENT} or a payload digest) {@code id} may end in, with the reason. */
  Allowed allowed(String id) {
    List<HistoryOp> touching = history.stream().filter(op -> op.mayTouch(id)).toList();
    HistoryOp last =
        touching.stream()
            .filter(op -> op.outcome() == Outcome.OK)
            .max(Comparator.comparingLong(HistoryOp::complete))
            .orElse(null);
    Set<String> states = new HashSet<>();
    List<HistoryOp> candidates = new ArrayList<>();
    if (last == null) {
      states.add(ABSENT);
    } else {
      candidates.add(last);
    }
    for (HistoryOp op : touching) {
      if (op != last && (last == null || op.latestEffect() > last.invoke())) {
        candidates.add(op);
      }
    }
    for (HistoryOp op : candidates) {
      states.addAll(stateAfter(op, id));
    }
    return new Allowed(last, candidates, states);
  }

  /** The states {@code op} leaves {@code id} in. */
  private Set<String> stateAfter(HistoryOp op, String id) {
    if (op.kind().writes()) {
      return Set.of(op.sha256());
    }
    if (op.kind() == Kind.RENAME && id.equals(op.to())) {
      return contentOf(op.id(), op.latestEffect(), new HashSet<>(Set.of(op.seq())));
    }
    return Set.of(ABSENT);
  }

  /**
   * What {@code id} may have held at some time before {@code before}: any write to it started by
   * then, or what a rename into it started earlier may have moved there (transitively; {@code seen}
   * holds the renames already followed, so a cycle of renames ends).
   */
  private Set<String> contentOf(String id, long before, Set<Integer> seen) {
    Set<String> content = new HashSet<>();
    for (HistoryOp w : history) {
      if (!w.mayTouch(id) || w.invoke() >= before) {
        continue;
      }
      if (w.kind().writes()) {
        content.add(w.sha256());
      } else if (w.kind() == Kind.RENAME && id.equals(w.to())) {
        if (seen.add(w.seq())) {
          content.addAll(contentOf(w.id(), w.latestEffect(), seen));
        }
      }
    }
    return content;
  }

  /** What the checker allows for one id. */
  record Allowed(HistoryOp lastAcknowledged, List<HistoryOp> candidates, Set<String> states) {
    /** True when the final state must be absent (its last acknowledged op deleted or moved it). */
    boolean mustBeAbsent() {
      return states.equals(Set.of(ABSENT));
    }

    String explain() {
      StringBuilder b = new StringBuilder();
      b.append("    last acknowledged: ").append(lastAcknowledged).append('\n');
      for (HistoryOp op : candidates) {
        if (op != lastAcknowledged) {
          b.append("    may follow it:     ").append(op).append('\n');
        }
      }
      return b.toString();
    }
  }
}
