package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recent fallbacks and shadow outcomes, counted per minute and instance: each instance adds its own
 * counts (one writer per row, so adding never races), every instance reads the fleet's. Kept for
 * {@link #KEEP}.
 */
public final class RecentOutcomes {
  /** How long counts are kept. */
  public static final Duration KEEP = Duration.ofDays(1);

  /** A count to add: {@code kind} is {@code fallback} or {@code shadow}. */
  public record Key(Instant minute, String kind, String outcome) {}

  /**
   * The fleet's count of one kind and outcome over a window.
   *
   * @param instances how many instances saw it
   * @param last the latest minute it was seen in
   */
  public record Total(String kind, String outcome, long count, long instances, Instant last) {}

  /** The fleet's count of one kind and outcome in one minute. */
  public record MinuteCount(Instant minute, String outcome, long count) {}

  private final Jdbc jdbc;

  RecentOutcomes(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Adds {@code counts} to {@code instance}'s rows and deletes rows older than {@link #KEEP}. */
  public void add(String instance, Map<Key, Long> counts) {
    requireNonNull(instance, "instance");
    if (!counts.isEmpty()) {
      jdbc.transaction("add recent outcomes", c -> addAll(c, instance, counts));
    }
    jdbc.autoCommit(
        "prune recent outcomes",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM recent_outcomes WHERE minute_at < ?")) {
            Jdbc.setInstant(ps, 1, jdbc.now().minus(KEEP));
            return ps.executeUpdate();
          }
        });
  }

  /** The fleet's totals since {@code from}, by kind then outcome. */
  public List<Total> since(Instant from) {
    String sql =
        "SELECT kind, outcome, SUM(occurrences) AS n, COUNT(DISTINCT instance) AS instances,"
            + " MAX(minute_at) AS latest FROM recent_outcomes WHERE minute_at >= ?"
            + " GROUP BY kind, outcome ORDER BY kind, outcome";
    return jdbc.autoCommit(
        "recent outcomes",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, from);
            List<Total> totals = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                totals.add(
                    new Total(
                        rs.getString("kind"),
                        rs.getString("outcome"),
                        rs.getLong("n"),
                        rs.getLong("instances"),
                        Jdbc.getInstant(rs, "latest")));
              }
            }
            return totals;
          }
        });
  }

  /**
   * The fleet's counts of {@code kind} per minute and outcome since {@code from} (summed over
   * instances). A minute's counts only grow until it is over, so a reader that polls can take the
   * difference between two polls as what happened in between.
   */
  public List<MinuteCount> minutes(String kind, Instant from) {
    requireNonNull(kind, "kind");
    requireNonNull(from, "from");
    String sql =
        "SELECT minute_at, outcome, SUM(occurrences) AS n FROM recent_outcomes"
            + " WHERE kind = ? AND minute_at >= ? GROUP BY minute_at, outcome";
    return jdbc.autoCommit(
        "recent outcomes by minute",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, kind);
            Jdbc.setInstant(ps, 2, from);
            List<MinuteCount> counts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                counts.add(
                    new MinuteCount(
                        Jdbc.getInstant(rs, "minute_at"),
                        rs.getString("outcome"),
                        rs.getLong("n")));
              }
            }
            return counts;
          }
        });
  }

  private static Void addAll(Connection c, String instance, Map<Key, Long> counts)
      throws SQLException {
    String update =
        "UPDATE recent_outcomes SET occurrences = occurrences + ?"
            + " WHERE minute_at = ? AND instance = ? AND kind = ? AND outcome = ?";
    String insert =
        "INSERT INTO recent_outcomes (occurrences, minute_at, instance, kind, outcome)"
            + " VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement up = c.prepareStatement(update);
        PreparedStatement in = c.prepareStatement(insert)) {
      for (Map.Entry<Key, Long> e : counts.entrySet()) {
        bind(up, instance, e.getKey(), e.getValue());
        if (up.executeUpdate() == 0) {
          bind(in, instance, e.getKey(), e.getValue());
          in.executeUpdate();
        }
      }
    }
    return null;
  }

  private static void bind(PreparedStatement ps, String instance, Key key, long count)
      throws SQLException {
    ps.setLong(1, count);
    Jdbc.setInstant(ps, 2, key.minute());
    ps.setString(3, instance);
    ps.setString(4, key.kind());
    ps.setString(5, key.outcome());
  }
}
