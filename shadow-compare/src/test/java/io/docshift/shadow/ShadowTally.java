package io.docshift.shadow;

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
final class ShadowTally implements MetricsRecorder {
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

  void clear() {
    counts.clear();
  }

  int count(String outcomeSlashRule) {
    AtomicInteger n = counts.get(outcomeSlashRule);
    return n == null ? 0 : n.get();
  }

  int total() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  Map<String, Integer> snapshot() {
    Map<String, Integer> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Waits (bounded, 30 s) until {@code expected} sampled reads were counted. */
  Map<String, Integer> awaitTotal(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (total() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(total()).as("shadow outcomes %s", snapshot()).isEqualTo(expected);
    return snapshot();
  }
}
