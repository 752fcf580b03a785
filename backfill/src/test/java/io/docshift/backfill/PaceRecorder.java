package io.docshift.backfill;

import java.util.List;

/** Backfill metrics that keep only the pace changes, as {@code "slowed 4"}. */
record PaceRecorder(List<String> paces) implements BackfillMetrics {
  @Override
  public void pace(String change, int concurrency) {
    paces.add(change + " " + concurrency);
  }

  @Override
  public void listed(int documents) {}

  @Override
  public void copied(long bytes) {}

  @Override
  public void skipped(String reason) {}

  @Override
  public void failed(String reason) {}

  @Override
  public void mismatch() {}

  @Override
  public void adminCall(String outcome) {}

  @Override
  public void adminBudgetRemaining(int calls) {}

  @Override
  public void queueRemaining(long documents) {}
}
