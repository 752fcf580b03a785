package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Stored snapshots of {@link MigrationProgress#tally()}, at most one a minute, so a chart of the
 * last hours does not depend on how long anyone watched. Each instance may call {@link #record}
 * every minute: the first to write a minute keeps it, the others find it taken.
 */
public final class ProgressHistory {
  /** How long snapshots are kept. */
  public static final Duration KEEP = Duration.ofDays(2);

  /** One snapshot: when (on the minute) and the tally then. */
  public record Point(Instant at, MigrationProgress.Tally tally) {}

  private final Jdbc jdbc;
  private final MigrationProgress progress;

  ProgressHistory(Jdbc jdbc, MigrationProgress progress) {
    this.jdbc = jdbc;
    this.progress = progress;
  }

  /**
   * Takes this minute's snapshot unless an instance already has, and deletes those older than
   * {@link #KEEP}.
   *
   * @return whether this call wrote the snapshot
   */
  public boolean record() {
    Instant minute = jdbc.now().truncatedTo(ChronoUnit.MINUTES);
    boolean taken = jdbc.transaction("progress snapshot", c -> taken(c, minute));
    if (taken) {
      return false;
    }
    MigrationProgress.Tally tally = progress.tally();
    boolean wrote = jdbc.transaction("progress snapshot", c -> insert(c, minute, tally));
    jdbc.autoCommit(
        "prune progress history",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM progress_history WHERE taken_at < ?")) {
            Jdbc.setInstant(ps, 1, minute.minus(KEEP));
            return ps.executeUpdate();
          }
        });
    return wrote;
  }

  /** Snapshots taken at or after {@code from}, oldest first. */
  public List<Point> since(Instant from) {
    requireNonNull(from, "from");
    String sql =
        "SELECT taken_at, s3_state, documents, bytes FROM progress_history WHERE taken_at >= ?"
            + " ORDER BY taken_at, s3_state";
    return jdbc.autoCommit(
        "progress history",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, from);
            try (ResultSet rs = ps.executeQuery()) {
              return points(rs);
            }
          }
        });
  }

  private static boolean taken(Connection c, Instant minute) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM progress_history WHERE taken_at = ?")) {
      Jdbc.setInstant(ps, 1, minute);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Writes the minute's rows; false when another instance wrote them first (the retry sees it). */
  private static boolean insert(Connection c, Instant minute, MigrationProgress.Tally tally)
      throws SQLException {
    if (taken(c, minute)) {
      return false;
    }
    String sql =
        "INSERT INTO progress_history (taken_at, s3_state, documents, bytes) VALUES (?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (S3State state : S3State.values()) {
        Jdbc.setInstant(ps, 1, minute);
        ps.setString(2, state.dbValue());
        ps.setLong(3, tally.documents().getOrDefault(state, 0L));
        ps.setLong(4, tally.bytes().getOrDefault(state, 0L));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    return true;
  }

  private static List<Point> points(ResultSet rs) throws SQLException {
    List<Point> points = new ArrayList<>();
    Instant at = null;
    Map<S3State, Long> documents = null;
    Map<S3State, Long> bytes = null;
    while (rs.next()) {
      Instant next = Jdbc.getInstant(rs, "taken_at");
      if (!next.equals(at)) {
        if (at != null) {
          points.add(new Point(at, tally(documents, bytes)));
        }
        at = next;
        documents = new EnumMap<>(S3State.class);
        bytes = new EnumMap<>(S3State.class);
      }
      S3State state = S3State.fromDb(rs.getString("s3_state"));
      documents.put(state, rs.getLong("documents"));
      bytes.put(state, rs.getLong("bytes"));
    }
    if (at != null) {
      points.add(new Point(at, tally(documents, bytes)));
    }
    return points;
  }

  /** Every state present, as {@link MigrationProgress.Tally} promises. */
  private static MigrationProgress.Tally tally(
      Map<S3State, Long> documents, Map<S3State, Long> bytes) {
    for (S3State state : S3State.values()) {
      documents.putIfAbsent(state, 0L);
      bytes.putIfAbsent(state, 0L);
    }
    return new MigrationProgress.Tally(documents, bytes);
  }
}
