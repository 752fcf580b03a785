package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.metrics.ShadowOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A real {@link MetricsRecorder} that keeps shadow outcomes as {@code outcome/rule} counts. */
final class ShadowCounts implements MetricsRecorder {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  @Override
  public void request(
      Operation operation,
      Optional<Backend> backend,
      Optional<ResourceType> resourceType,
      Outcome outcome,
      long n) {}

  @Override
  public void fallback(Outcome cause) {}

  @Override
  public void ledgerLookupFailure() {}

  @Override
  public void shadow(ShadowOutcome outcome, String rule) {
    counts.computeIfAbsent(outcome.tag() + "/" + rule, k -> new AtomicInteger()).incrementAndGet();
  }

  Map<String, Integer> snapshot() {
    Map<String, Integer> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Waits (bounded, 30 s) until {@code key} was counted {@code expected} times. */
  void await(String key, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (snapshot().getOrDefault(key, 0) < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(snapshot().getOrDefault(key, 0))
        .as("shadow outcomes %s", snapshot())
        .isEqualTo(expected);
  }
}
