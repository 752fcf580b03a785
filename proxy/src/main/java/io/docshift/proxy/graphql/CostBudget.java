package io.docshift.proxy.graphql;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Each caller's cost budget: a bucket of {@link CostRules#budget()} points that drains by what the
 * caller's queries cost and refills at {@link CostRules#refillPerSecond()} (a leaky bucket), so one
 * caller cannot spend the Admin API allowance the backfill needs. A query takes its requested cost
 * up front and gets back what it did not spend. Time comes from the injected clock.
 */
final class CostBudget {
  private final CostRules rules;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new HashMap<>();

  CostBudget(CostRules rules, Clock clock) {
    this.rules = rules;
    this.clock = clock;
  }

  /** Takes {@code cost} points if the caller has them; the points left either way. */
  synchronized Taken take(String caller, long cost) {
    Bucket bucket = refilled(caller);
    if (bucket.points < cost) {
      return new Taken(false, (long) Math.floor(bucket.points));
    }
    bucket.points -= cost;
    return new Taken(true, (long) Math.floor(bucket.points));
  }

  /** Gives back points taken but not spent; returns the points now left. */
  synchronized long refund(String caller, long points) {
    Bucket bucket = refilled(caller);
    bucket.points = Math.min(rules.budget(), bucket.points + Math.max(0, points));
    return (long) Math.floor(bucket.points);
  }

  private Bucket refilled(String caller) {
    Instant now = clock.instant();
    Bucket bucket = buckets.computeIfAbsent(caller, c -> new Bucket(rules.budget(), now));
    double seconds = Math.max(0, (now.toEpochMilli() - bucket.at.toEpochMilli()) / 1000.0);
    bucket.points = Math.min(rules.budget(), bucket.points + seconds * rules.refillPerSecond());
    bucket.at = now;
    return bucket;
  }

  /** Whether the points were taken, and how many the caller has left. */
  record Taken(boolean granted, long remaining) {}

  private static final class Bucket {
    double points;
    Instant at;

    Bucket(double points, Instant at) {
      this.points = points;
      this.at = at;
    }
  }
}
