package io.docshift.backfill;

import io.docshift.core.metrics.ReadLatency;
import io.docshift.ledger.RecentOutcomes;
import io.docshift.ledger.RecentOutcomes.MinuteCount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the fleet's proxies read since the last look: each proxy adds its reads by {@link
 * ReadLatency} bucket to the ledger's per-minute counts every few seconds, and a minute's counts
 * only grow, so the difference between two looks is what happened in between (within the proxies'
 * flush delay). Only the current and the previous minute are read, so a look costs the same however
 * long the run.
 */
final class FleetReads {
  private final Supplier<RecentOutcomes> outcomes;
  private final Clock clock;
  private final long p99Millis;
  private Map<Cell, Long> last;

  FleetReads(Supplier<RecentOutcomes> outcomes, Clock clock, long p99Millis) {
    this.outcomes = outcomes;
    this.clock = clock;
    this.p99Millis = p99Millis;
  }

  /** The reads since the previous call; none on the first call (it only sets the baseline). */
  ReadLoad sinceLastLook() {
    Instant from = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(1));
    List<MinuteCount> counts = outcomes.get().minutes(ReadLatency.KIND, from);
    Map<Cell, Long> now = new HashMap<>();
    for (MinuteCount c : counts) {
      now.put(Cell.of(c), c.count());
    }
    Map<Cell, Long> before = last;
    last = now;
    if (before == null) {
      return ReadLoad.NONE;
    }
    long reads = 0;
    long faults = 0;
    long slow = 0;
    for (MinuteCount c : counts) {
      long added = c.count() - before.getOrDefault(Cell.of(c), 0L);
      if (added <= 0) {
        continue;
      }
      ReadLatency bucket = bucket(c.outcome());
      reads += added;
      faults += bucket == ReadLatency.FAULT ? added : 0;
      slow += bucket != null && bucket.slowerThan(p99Millis) ? added : 0;
    }
    return new ReadLoad(reads, faults, slow);
  }

  private static ReadLatency bucket(String outcome) {
    try {
      return ReadLatency.valueOf(outcome);
    } catch (IllegalArgumentException e) {
      return null; // written by a newer proxy: counted as a read, neither slow nor failed
    }
  }

  /** One minute's count of one bucket. */
  private record Cell(Instant minute, String outcome) {
    static Cell of(MinuteCount c) {
      return new Cell(c.minute(), c.outcome());
    }
  }
}
