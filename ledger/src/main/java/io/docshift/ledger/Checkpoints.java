package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code backfill_checkpoints} table: the cursor each listing resumes from. Write a checkpoint
 * only after the page it follows is in the ledger, so a crash repeats a page rather than skipping
 * one. Methods throw {@link LedgerException} when the database fails.
 */
public final class Checkpoints {
  private static final String MATCH =
      "cloud = ? AND resource_type = ? AND delivery_type = ? AND prefix = ?";

  private final Jdbc jdbc;

  Checkpoints(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** The checkpoint of {@code key}, or empty if the listing never started. */
  public Optional<Checkpoint> get(CheckpointKey key) {
    requireNonNull(key, "key");
    String sql = "SELECT * FROM backfill_checkpoints WHERE " + MATCH;
    return jdbc.autoCommit(
        "get checkpoint",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindKey(ps, 1, key);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
          }
        });
  }

  /** Every checkpoint, ordered by key. */
  public List<Checkpoint> list() {
    String sql =
        "SELECT * FROM backfill_checkpoints ORDER BY cloud, resource_type, delivery_type, prefix";
    return jdbc.autoCommit(
        "list checkpoints",
        c -> {
          List<Checkpoint> all = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              all.add(map(rs));
            }
          }
          return all;
        });
  }

  /**
   * Records that {@code key} resumes from {@code cursor} (null: from the start) and whether it is
   * complete; replaces any earlier checkpoint.
   */
  public Checkpoint put(CheckpointKey key, String cursor, boolean completed) {
    requireNonNull(key, "key");
    return jdbc.transaction("put checkpoint", c -> put(c, key, cursor, completed));
  }

  private Checkpoint put(Connection c, CheckpointKey key, String cursor, boolean completed)
      throws SQLException {
    Checkpoint next = new Checkpoint(key, cursor, completed, jdbc.now());
    String update =
        "UPDATE backfill_checkpoints SET next_cursor = ?, completed = ?, updated_at = ? WHERE "
            + MATCH;
    try (PreparedStatement ps = c.prepareStatement(update)) {
      bindState(ps, next);
      bindKey(ps, 4, key);
      if (ps.executeUpdate() > 0) {
        return next;
      }
    }
    String insert =
        "INSERT INTO backfill_checkpoints (next_cursor, completed, updated_at, cloud,"
            + " resource_type, delivery_type, prefix) VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      bindState(ps, next);
      bindKey(ps, 4, key);
      ps.executeUpdate();
    }
    return next;
  }

  private static void bindState(PreparedStatement ps, Checkpoint checkpoint) throws SQLException {
    ps.setString(1, checkpoint.cursor());
    ps.setBoolean(2, checkpoint.completed());
    Jdbc.setInstant(ps, 3, checkpoint.updatedAt());
  }

  private static void bindKey(PreparedStatement ps, int index, CheckpointKey key)
      throws SQLException {
    ps.setString(index, key.cloud());
    ps.setString(index + 1, key.resourceType());
    ps.setString(index + 2, key.type());
    ps.setString(index + 3, key.prefix());
  }

  private static Checkpoint map(ResultSet rs) throws SQLException {
    CheckpointKey key =
        new CheckpointKey(
            rs.getString("cloud"),
            rs.getString("resource_type"),
            rs.getString("delivery_type"),
            rs.getString("prefix"));
    return new Checkpoint(
        key,
        rs.getString("next_cursor"),
        rs.getBoolean("completed"),
        Jdbc.getInstant(rs, "updated_at"));
  }
}
