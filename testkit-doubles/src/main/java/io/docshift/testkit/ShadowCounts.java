package io.docshift.testkit;

import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.NoopMetricsRecorder;
import io.docshift.core.metrics.ShadowOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link MetricsRecorder} that keeps shadow outcomes as {@code outcome/rule} counts (for
 * example {@code matched/none}), and waits for them: shadow reads finish on another thread after
 * the client's answer. Records nothing else.
 */
public final class ShadowCounts extends NoopMetricsRecorder {
  /** Bound on each wait by default: a shadow read is two store reads and a hash. */
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  private final Duration wait;

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  /** Counts that {@link #await} and {@link #awaitTotal} wait for 30 s at most. */
  public ShadowCounts() {
    this(DEFAULT_WAIT);
  }

  /** Counts whose waits end after {@code wait}. */
  public ShadowCounts(Duration wait) {
    this.wait = wait;
  }

  @Override
  public void shadow(ShadowOutcome outcome, String rule) {
    counts.computeIfAbsent(outcome.tag() + "/" + rule, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Forgets every count. */
  public void clear() {
    counts.clear();
  }

  /** How often {@code outcomeSlashRule} was counted. */
  public int count(String outcomeSlashRule) {
    AtomicInteger n = counts.get(outcomeSlashRule);
    return n == null ? 0 : n.get();
  }

  /** Every shadow outcome counted, of any kind. */
  public int total() {
    return counts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** The counts by {@code outcome/rule}, sorted. */
  public Map<String, Integer> snapshot() {
    Map<String, Integer> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Waits (bounded) until {@code key} was counted {@code expected} times, failing otherwise. */
  public void await(String key, int expected) {
    Eventually.until(
        wait, this::snapshot, c -> c.getOrDefault(key, 0) == expected, key + " x" + expected);
  }

  /**
   * Waits (bounded) until {@code expected} outcomes of any kind were counted, failing otherwise.
   *
   * @return the counts then
   */
  public Map<String, Integer> awaitTotal(int expected) {
    return Eventually.until(wait, this::snapshot, c -> sum(c) == expected, expected + " outcomes");
  }

  private static int sum(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }
}
