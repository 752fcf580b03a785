package io.docshift.backfill;

import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Our own recorder interface, recording the repair hook as {@code operation:outcome} words. */
final class RecordingMetrics implements MetricsRecorder {
  private final List<String> repairs = new CopyOnWriteArrayList<>();

  @Override
  public void request(
      Operation operation,
      Optional<Backend> backend,
      Optional<ResourceType> resourceType,
      Outcome outcome,
      long nanos) {}

  @Override
  public void fallback(Outcome cause) {}

  @Override
  public void ledgerLookupFailure() {}

  @Override
  public void repair(String operation, Outcome outcome) {
    repairs.add(operation + ":" + outcome.tag());
  }

  List<String> repairs() {
    return List.copyOf(repairs);
  }
}
