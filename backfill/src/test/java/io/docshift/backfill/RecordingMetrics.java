package io.docshift.backfill;

import io.docshift.core.metrics.NoopMetricsRecorder;
import io.docshift.core.outcome.Outcome;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Our own recorder interface, recording the repair hook as {@code operation:outcome} words. */
final class RecordingMetrics extends NoopMetricsRecorder {
  private final List<String> repairs = new CopyOnWriteArrayList<>();

  @Override
  public void repair(String operation, Outcome outcome) {
    repairs.add(operation + ":" + outcome.tag());
  }

  List<String> repairs() {
    return List.copyOf(repairs);
  }
}
