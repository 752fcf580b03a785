package io.docshift.backfill;

import io.docshift.core.outcome.Outcome;

/**
 * How applying one outbox row ended.
 *
 * @param applied the stores now agree (the row is completed); false: retry later with backoff
 * @param outcome what is counted: {@code SUCCESS} for an applied repair, {@code NOT_FOUND} for one
 *     that found nothing to do, the failing call's outcome otherwise
 * @param detail for the log and the row's last error
 */
record RepairResult(boolean applied, Outcome outcome, String detail) {

  static RepairResult done(String detail) {
    return new RepairResult(true, Outcome.SUCCESS, detail);
  }

  /** Applied, but there was nothing the worker could do; counted as {@code NOT_FOUND}. */
  static RepairResult nothingToDo(String detail) {
    return new RepairResult(true, Outcome.NOT_FOUND, detail);
  }

  static RepairResult failed(Outcome outcome, String detail) {
    return new RepairResult(false, outcome, detail);
  }
}
