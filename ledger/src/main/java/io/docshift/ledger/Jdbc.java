package io.docshift.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * Connection and transaction plumbing shared by the ledger's repositories. Every call borrows a
 * pooled connection and returns it before returning; nothing holds a connection across calls.
 */
final class Jdbc {
  /** SQLSTATE for a unique-constraint violation, on both H2 and PostgreSQL. */
  private static final String UNIQUE_VIOLATION = "23505";

  /** Runs of one transaction that lost insert races before it fails. */
  static final int INSERT_RACE_ATTEMPTS = 5;

  private static final int MAX_TEXT = 2000;

  /** Work against one connection; may throw {@link SQLException}. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;
  private final Clock clock;

  Jdbc(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** The ledger's notion of now, truncated to the microseconds both databases store. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** Runs {@code work} in one auto-committed connection. */
  <T> T autoCommit(String what, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new LedgerException(what + " failed", e);
    }
  }

  /**
   * Runs {@code work} in one transaction, committing on success and rolling back on any failure.
   * The document counters its row changes moved are written last, in the same transaction ({@link
   * DocumentCounts}). When the transaction loses an insert race (unique violation) it is run again,
   * up to {@value #INSERT_RACE_ATTEMPTS} times in all: each retry sees the rows the winners
   * committed, so a page of keys that other writers insert one by one meanwhile still lands, and
   * only a transaction that keeps losing fails.
   */
  <T> T transaction(String what, SqlWork<T> work) {
    SQLException lost = null;
    for (int attempt = 1; ; attempt++) {
      try {
        return transactionOnce(work);
      } catch (SQLException e) {
        if (lost != null) {
          e.addSuppressed(lost);
        }
        if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || attempt == INSERT_RACE_ATTEMPTS) {
          throw new LedgerException(what + " failed", e);
        }
        lost = e;
      }
    }
  }

  private <T> T transactionOnce(SqlWork<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        DocumentCounts.Pending counts = DocumentCounts.open(connection)) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        counts.flush();
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      }
    }
  }

  /**
   * Runs the reads of {@code work} against one consistent snapshot of the whole database, in a
   * read-only transaction, so that rows of two tables are seen as of the same moment. PostgreSQL's
   * repeatable read is such a snapshot; H2's is per table (a row another transaction committed into
   * a second table after the first read is seen), its serializable level is the snapshot.
   */
  <T> T snapshot(String what, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean h2 = connection.getMetaData().getURL().startsWith("jdbc:h2:");
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      connection.setTransactionIsolation(
          h2 ? Connection.TRANSACTION_SERIALIZABLE : Connection.TRANSACTION_REPEATABLE_READ);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      }
    } catch (SQLException e) {
      throw new LedgerException(what + " failed", e);
    }
  }

  /**
   * The pool restores auto-commit, read-only and the isolation level when the connection goes back,
   * so only the rollback is ours.
   */
  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Ends what {@code owner} holds: runs {@code sql}, an update whose two parameters are the
   * ledger's now and the owner, in its own transaction.
   *
   * @return how many rows it changed
   */
  int releaseHeld(String what, String sql, String owner) {
    return autoCommit(
        what,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            setInstant(ps, 1, now());
            ps.setString(2, owner);
            return ps.executeUpdate();
          }
        });
  }

  static void setInstant(PreparedStatement statement, int index, Instant instant)
      throws SQLException {
    if (instant == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
    }
  }

  static Instant getInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  static Long getLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  static void setInt(PreparedStatement statement, int index, Integer value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setInt(index, value);
    }
  }

  static Integer getInt(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  /** Free text is clipped to the column width so a long error message never fails a write. */
  static String clip(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }

  /** Binds the four key columns starting at {@code index}; returns the next free index. */
  static int setKey(PreparedStatement statement, int index, LedgerKey key) throws SQLException {
    statement.setString(index, key.cloud());
    statement.setString(index + 1, key.resourceType());
    statement.setString(index + 2, key.type());
    statement.setString(index + 3, key.publicId());
    return index + 4;
  }

  static LedgerKey getKey(ResultSet rs) throws SQLException {
    return new LedgerKey(
        rs.getString("cloud"),
        rs.getString("resource_type"),
        rs.getString("delivery_type"),
        rs.getString("public_id"));
  }

  static final String KEY_MATCH =
      "cloud = ? AND resource_type = ? AND delivery_type = ? AND public_id = ?";
}
