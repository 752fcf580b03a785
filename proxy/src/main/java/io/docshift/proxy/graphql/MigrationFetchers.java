package io.docshift.proxy.graphql;

import graphql.schema.DataFetcher;
import io.docshift.ledger.MigrationProgress;
import io.docshift.ledger.OutboxStats;
import io.docshift.ledger.S3State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code migration} and its fields. The totals are one ledger statement (documents and bytes per
 * state) plus the outbox's; the pace ({@code ratePerSecond}, {@code eta}) and {@code byFolder} are
 * read only when asked, the pace once per request however many of its fields are.
 */
final class MigrationFetchers {
  /** How far back the pace looks. */
  static final Duration RATE_WINDOW = Duration.ofMinutes(5);

  private static final String TALLY = "_tally";
  private static final String PACE = "_pace";

  private final Sources sources;

  MigrationFetchers(Sources sources) {
    this.sources = sources;
  }

  DataFetcher<Map<String, Object>> migration() {
    return env -> {
      MigrationProgress.Tally tally =
          QueryFetchers.ledger(env, () -> sources.ledger().progress().tally());
      OutboxStats outbox = QueryFetchers.ledger(env, () -> sources.ledger().outbox().stats());
      Map<String, Object> m = totals(tally);
      m.put(TALLY, tally);
      m.put("outboxDepth", (double) outbox.depth());
      m.put("outboxOldestAgeSeconds", (double) outbox.oldestAge().toSeconds());
      return m;
    };
  }

  DataFetcher<List<Map<String, Object>>> byFolder() {
    return env -> {
      int first = env.getArgument("first");
      List<MigrationProgress.Folder> folders =
          QueryFetchers.ledger(
              env, () -> sources.ledger().progress().byFolder(sources.cloud(), first));
      List<Map<String, Object>> result = new ArrayList<>();
      for (MigrationProgress.Folder folder : folders) {
        Map<String, Object> m = totals(folder.tally());
        m.put("folder", folder.name());
        result.add(m);
      }
      return result;
    };
  }

  DataFetcher<Double> ratePerSecond() {
    return env -> pace(env.getSource(), env).rate();
  }

  DataFetcher<String> eta() {
    return env -> {
      Double seconds = pace(env.getSource(), env).etaSeconds();
      return seconds == null
          ? null
          : sources.clock().instant().plusMillis((long) (seconds * 1000)).toString();
    };
  }

  DataFetcher<Double> etaSeconds() {
    return env -> pace(env.getSource(), env).etaSeconds();
  }

  /** Documents verified per second lately, and how long the rest would take at that pace. */
  private record Pace(double rate, Double etaSeconds) {}

  private Pace pace(Map<String, Object> migration, graphql.schema.DataFetchingEnvironment env) {
    synchronized (migration) {
      Pace pace = (Pace) migration.get(PACE);
      if (pace == null) {
        long verified =
            QueryFetchers.ledger(
                env, () -> sources.ledger().progress().verifiedWithin(RATE_WINDOW));
        double rate = (double) verified / RATE_WINDOW.toSeconds();
        MigrationProgress.Tally tally = (MigrationProgress.Tally) migration.get(TALLY);
        long left = left(tally.documents());
        pace = new Pace(rate, rate > 0 && left > 0 ? left / rate : null);
        migration.put(PACE, pace);
      }
      return pace;
    }
  }

  /** Documents still to verify: all but the verified ones and the tombstones. */
  private static long left(Map<S3State, Long> documents) {
    long left = 0;
    for (Map.Entry<S3State, Long> e : documents.entrySet()) {
      if (e.getKey() != S3State.VERIFIED && e.getKey() != S3State.DELETED) {
        left += e.getValue();
      }
    }
    return left;
  }

  /**
   * Counts, bytes and percentages of one tally, as {@code Migration} and {@code FolderProgress}.
   */
  static Map<String, Object> totals(MigrationProgress.Tally tally) {
    List<Map<String, Object>> byState = new ArrayList<>();
    long total = 0;
    long bytes = 0;
    for (S3State state : S3State.values()) {
      long n = tally.documents().get(state);
      long b = tally.bytes().get(state);
      byState.add(Map.of("state", state.name(), "count", (double) n, "bytes", (double) b));
      total += n;
      bytes += state == S3State.DELETED ? 0 : b;
    }
    long verified = tally.documents().get(S3State.VERIFIED);
    Map<String, Object> m = new HashMap<>();
    m.put("total", (double) total);
    m.put("verified", (double) verified);
    m.put("verifiedPercent", total == 0 ? 0.0 : Math.round(1000.0 * verified / total) / 10.0);
    m.put("byState", byState);
    m.put("bytes", (double) bytes);
    m.put("bytesVerified", (double) tally.bytes().get(S3State.VERIFIED));
    return m;
  }
}
