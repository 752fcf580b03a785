package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/**
 * The operator console's sessions, keyed by a hash of the session id (the caller hashes; the id
 * itself never reaches the ledger). Times are the caller's, so every admin listener judges expiry
 * by the same wall clock. Each method is one statement.
 */
public final class ConsoleSessionRows {
  /**
   * One stored session.
   *
   * @param operator who signed in
   * @param createdAt when
   * @param usedAt when it was last used (recorded at most once a minute or so, see the caller)
   */
  public record Row(String operator, Instant createdAt, Instant usedAt) {}

  private final Jdbc jdbc;

  ConsoleSessionRows(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a new session. */
  public void insert(String idHash, String operator, Instant now) {
    requireNonNull(idHash, "idHash");
    requireNonNull(operator, "operator");
    update(
        "open console session",
        "INSERT INTO console_sessions (id_sha256, operator, created_at, used_at) VALUES (?, ?, ?, ?)",
        ps -> {
          ps.setString(1, idHash);
          ps.setString(2, operator);
          Jdbc.setInstant(ps, 3, now);
          Jdbc.setInstant(ps, 4, now);
        });
  }

  /** The session stored under {@code idHash}, whether or not it has expired. */
  public Optional<Row> find(String idHash) {
    String sql = "SELECT operator, created_at, used_at FROM console_sessions WHERE id_sha256 = ?";
    return jdbc.autoCommit(
        "find console session",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, idHash);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new Row(
                          rs.getString("operator"),
                          Jdbc.getInstant(rs, "created_at"),
                          Jdbc.getInstant(rs, "used_at")))
                  : Optional.empty();
            }
          }
        });
  }

  /** Records a use of the session. */
  public void touch(String idHash, Instant now) {
    update(
        "use console session",
        "UPDATE console_sessions SET used_at = ? WHERE id_sha256 = ?",
        ps -> {
          Jdbc.setInstant(ps, 1, now);
          ps.setString(2, idHash);
        });
  }

  /** Ends the session (sign-out or expiry). */
  public void delete(String idHash) {
    update(
        "end console session",
        "DELETE FROM console_sessions WHERE id_sha256 = ?",
        ps -> ps.setString(1, idHash));
  }

  /** Deletes sessions unused since {@code usedBefore} or opened before {@code createdBefore}. */
  public int deleteExpired(Instant usedBefore, Instant createdBefore) {
    return update(
        "expire console sessions",
        "DELETE FROM console_sessions WHERE used_at <= ? OR created_at <= ?",
        ps -> {
          Jdbc.setInstant(ps, 1, usedBefore);
          Jdbc.setInstant(ps, 2, createdBefore);
        });
  }

  /**
   * Keeps the {@code keep} newest sessions and deletes the rest, so repeated sign-ins cannot grow
   * the table without bound.
   */
  public int keepNewest(int keep) {
    return update(
        "trim console sessions",
        "DELETE FROM console_sessions WHERE id_sha256 NOT IN (SELECT id_sha256 FROM"
            + " console_sessions ORDER BY created_at DESC, id_sha256 FETCH FIRST ? ROWS ONLY)",
        ps -> ps.setInt(1, keep));
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws java.sql.SQLException;
  }

  private int update(String what, String sql, Binder binder) {
    return jdbc.autoCommit(
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
          }
        });
  }
}
