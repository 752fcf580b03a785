package io.docshift.core.metrics;

import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.util.Optional;

/**
 * Records nothing ({@link MetricsRecorder#NOOP}); a recorder that counts one thing only (a test's
 * stand-in, say) extends it and overrides that one method instead of writing out every no-op.
 */
public class NoopMetricsRecorder implements MetricsRecorder {
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
}
