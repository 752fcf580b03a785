package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code audit_events} table: an append-only record of every traffic change, revert and resume.
 * Methods throw {@link LedgerException} when the database fails.
 */
public final class AuditLog {
  private static final int MAX_VALUE = 100_000;

  private final Jdbc jdbc;

  AuditLog(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Appends an event stamped with the ledger's clock.
   *
   * @param before state before, or null; clipped to 100,000 characters
   * @param after state after, or null; clipped to 100,000 characters
   * @param reason why, or null
   * @return the stored event
   */
  public AuditEvent append(
      String actor, String action, String before, String after, String reason) {
    requireNonNull(actor, "actor");
    requireNonNull(action, "action");
    String sql =
        "INSERT INTO audit_events (occurred_at, actor, action, before_value, after_value, reason)"
            + " VALUES (?, ?, ?, ?, ?, ?)";
    Instant now = jdbc.now();
    String beforeValue = clipValue(before);
    String afterValue = clipValue(after);
    String why = Jdbc.clip(reason);
    long id =
        jdbc.autoCommit(
            "append audit event",
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                Jdbc.setInstant(ps, 1, now);
                ps.setString(2, Jdbc.clip(actor));
                ps.setString(3, Jdbc.clip(action));
                ps.setString(4, beforeValue);
                ps.setString(5, afterValue);
                ps.setString(6, why);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                  keys.next();
                  return keys.getLong(1);
                }
              }
            });
    return new AuditEvent(id, now, actor, action, beforeValue, afterValue, why);
  }

  /**
   * The newest events first, at most {@code limit}.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<AuditEvent> latest(int limit) {
    return before(Long.MAX_VALUE, limit);
  }

  /**
   * Newest first, at most {@code limit}, with id below {@code beforeId}: page back through them by
   * passing the last id seen.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<AuditEvent> before(long beforeId, int limit) {
    return page(null, null, beforeId, false, limit);
  }

  /**
   * Events by {@code actor} (exactly; null for anyone) whose action starts with {@code
   * actionPrefix} (null for any): with {@code newer} false, newest first with id below {@code id};
   * with {@code newer} true, oldest first with id above {@code id} (the events just newer than one
   * already seen). At most {@code limit}.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<AuditEvent> page(
      String actor, String actionPrefix, long id, boolean newer, int limit) {
    LeaseSql.requirePositive(limit, "limit");
    String sql =
        "SELECT * FROM audit_events WHERE id "
            + (newer ? ">" : "<")
            + " ?"
            + (actor == null ? "" : " AND actor = ?")
            + (actionPrefix == null ? "" : " AND action LIKE ? ESCAPE '!'")
            + " ORDER BY id"
            + (newer ? "" : " DESC")
            + " FETCH FIRST ? ROWS ONLY";
    return jdbc.autoCommit(
        "list audit events",
        c -> {
          List<AuditEvent> events = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, id);
            if (actor != null) {
              ps.setString(i++, actor);
            }
            if (actionPrefix != null) {
              ps.setString(i++, DocumentBatches.likePrefix(actionPrefix));
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                events.add(map(rs));
              }
            }
          }
          return events;
        });
  }

  static AuditEvent map(ResultSet rs) throws SQLException {
    return new AuditEvent(
        rs.getLong("id"),
        Jdbc.getInstant(rs, "occurred_at"),
        rs.getString("actor"),
        rs.getString("action"),
        rs.getString("before_value"),
        rs.getString("after_value"),
        rs.getString("reason"));
  }

  private static String clipValue(String value) {
    return value == null || value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE);
  }
}
