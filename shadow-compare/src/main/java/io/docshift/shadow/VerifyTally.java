package io.docshift.shadow;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Thread-safe counts of a verify walk, read as {@link VerifyReport}s while it runs. */
final class VerifyTally {
  private final long startNanos = System.nanoTime();
  private final AtomicLong checked = new AtomicLong();
  private final AtomicLong listed = new AtomicLong();
  private final AtomicLongArray found = new AtomicLongArray(FindingKind.values().length);
  private final AtomicLongArray repaired = new AtomicLongArray(FindingKind.values().length);

  void checked() {
    checked.incrementAndGet();
  }

  void listed(int objects) {
    listed.addAndGet(objects);
  }

  void found(Finding finding) {
    found.incrementAndGet(finding.kind().ordinal());
    if (finding.repaired()) {
      repaired.incrementAndGet(finding.kind().ordinal());
    }
  }

  VerifyReport report(boolean walkedAll, Optional<String> fatal) {
    return new VerifyReport(
        Duration.ofNanos(System.nanoTime() - startNanos),
        checked.get(),
        listed.get(),
        counts(found),
        counts(repaired),
        walkedAll,
        fatal);
  }

  private static Map<FindingKind, Long> counts(AtomicLongArray values) {
    Map<FindingKind, Long> counts = new EnumMap<>(FindingKind.class);
    for (FindingKind kind : FindingKind.values()) {
      long n = values.get(kind.ordinal());
      if (n > 0) {
        counts.put(kind, n);
      }
    }
    return counts;
  }
}
