package io.docshift.backfill;

import java.util.List;

/** Backfill metrics that keep only the pace changes, as {@code "slowed 4"}. */
final class PaceRecorder extends NoopMetrics {
  private final List<String> paces;

  PaceRecorder(List<String> paces) {
    this.paces = paces;
  }

  @Override
  public void pace(String change, int concurrency) {
    paces.add(change + " " + concurrency);
  }
}
