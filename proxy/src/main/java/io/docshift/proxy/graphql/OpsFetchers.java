package io.docshift.proxy.graphql;

import graphql.schema.DataFetcher;
import io.docshift.ledger.ProgressHistory;
import io.docshift.ledger.RecentOutcomes;
import io.docshift.ledger.WorkerLeases;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields the operator console's panels read beside the migration's totals: who works on the
 * backlog now, how the counts moved over the last hours, and the fleet's recent fallbacks and
 * shadow outcomes. Each is one ledger statement.
 */
final class OpsFetchers {
  private final Sources sources;

  OpsFetchers(Sources sources) {
    this.sources = sources;
  }

  /** Workers holding unexpired leases on ledger rows (backfill and verify runs), by name. */
  DataFetcher<List<Map<String, Object>>> workers() {
    return env -> {
      List<WorkerLeases> workers =
          QueryFetchers.ledger(env, () -> sources.ledger().documents().workers());
      List<Map<String, Object>> result = new ArrayList<>();
      for (WorkerLeases w : workers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("owner", w.owner());
        m.put("documents", (double) w.documents());
        m.put("since", w.since().toString());
        m.put("nextExpiry", w.nextExpiry().toString());
        m.put("lastExpiry", w.lastExpiry().toString());
        result.add(m);
      }
      return result;
    };
  }

  /** {@code Migration.history(hours)}: the stored minute snapshots of the last hours. */
  DataFetcher<List<Map<String, Object>>> history() {
    return env -> {
      int hours = env.getArgument("hours");
      if (hours < 1 || hours > ProgressHistory.KEEP.toHours()) {
        throw Errors.userInput(
            "hours: " + hours + " (expected: 1.." + ProgressHistory.KEEP.toHours() + ")");
      }
      Instant from = sources.clock().instant().minus(Duration.ofHours(hours));
      List<ProgressHistory.Point> points =
          QueryFetchers.ledger(env, () -> sources.ledger().history().since(from));
      List<Map<String, Object>> result = new ArrayList<>();
      for (ProgressHistory.Point point : points) {
        Map<String, Object> m = MigrationFetchers.totals(point.tally());
        m.put("at", point.at().toString());
        result.add(m);
      }
      return result;
    };
  }

  /** {@code recentOutcomes(minutes)}: the fleet's fallbacks and shadow outcomes lately. */
  DataFetcher<List<Map<String, Object>>> recentOutcomes() {
    return env -> {
      int minutes = env.getArgument("minutes");
      long most = RecentOutcomes.KEEP.toMinutes();
      if (minutes < 1 || minutes > most) {
        throw Errors.userInput("minutes: " + minutes + " (expected: 1.." + most + ")");
      }
      Instant from =
          sources
              .clock()
              .instant()
              .truncatedTo(ChronoUnit.MINUTES)
              .minus(Duration.ofMinutes(minutes - 1L));
      List<RecentOutcomes.Total> totals =
          QueryFetchers.ledger(env, () -> sources.ledger().recentOutcomes().since(from));
      List<Map<String, Object>> result = new ArrayList<>();
      for (RecentOutcomes.Total t : totals) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", t.kind());
        m.put("outcome", t.outcome());
        m.put("count", (double) t.count());
        m.put("instances", (int) t.instances());
        m.put("lastMinute", t.last().toString());
        result.add(m);
      }
      return result;
    };
  }
}
