package io.docshift.backfill;

import io.docshift.copier.CopyOutcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The run's counters, updated by every worker; also forwards each event to the metrics. */
final class Tally {
  private final BackfillMetrics metrics;
  private final LongAdder listed = new LongAdder();
  private final LongAdder copied = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder mismatches = new LongAdder();
  private final LongAdder wouldCopy = new LongAdder();
  private final LongAdder wouldCopyBytes = new LongAdder();
  private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();

  Tally(BackfillMetrics metrics) {
    this.metrics = metrics;
  }

  void listed(int count) {
    listed.add(count);
    metrics.listed(count);
  }

  void wouldCopy(long documentBytes) {
    wouldCopy.increment();
    wouldCopyBytes.add(documentBytes);
  }

  void record(CopyOutcome outcome) {
    switch (outcome.kind()) {
      case COPIED:
        copied.increment();
        bytes.add(outcome.bytes());
        metrics.copied(outcome.bytes());
        break;
      case SKIPPED:
        skipped.computeIfAbsent(outcome.reason(), r -> new LongAdder()).increment();
        metrics.skipped(outcome.reason());
        break;
      case MISMATCH:
        mismatches.increment();
        bytes.add(outcome.bytes());
        metrics.mismatch();
        break;
      default:
        failed.computeIfAbsent(outcome.reason(), r -> new LongAdder()).increment();
        metrics.failed(outcome.reason());
    }
  }

  BackfillReport report(
      Duration elapsed, long remaining, int adminRemaining, BackfillReport.Ending ending) {
    return new BackfillReport(
        elapsed,
        listed.sum(),
        copied.sum(),
        bytes.sum(),
        sums(skipped),
        sums(failed),
        mismatches.sum(),
        remaining,
        adminRemaining,
        ending.listingComplete(),
        wouldCopy.sum(),
        wouldCopyBytes.sum(),
        ending.fatal(),
        ending.stopped(),
        ending.leasesTakenBack(),
        ending.leasedElsewhere());
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counters) {
    Map<String, Long> result = new HashMap<>();
    counters.forEach((reason, count) -> result.put(reason, count.sum()));
    return result;
  }
}
