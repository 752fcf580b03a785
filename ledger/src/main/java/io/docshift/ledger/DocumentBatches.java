package io.docshift.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;

/**
 * Reads of many rows in one statement: a batch of keys (one round trip however many documents a
 * caller resolves at once) and a page of a public-id prefix. Plain SQL that runs unchanged on H2
 * and PostgreSQL; callers own the connection.
 */
final class DocumentBatches {
  /** Keys per statement: 4 bind parameters each stays far below every driver's limit. */
  static final int MAX_KEYS = 1000;

  private DocumentBatches() {}

  static List<DocumentRecord> byKeys(Connection c, List<LedgerKey> keys) throws SQLException {
    StringJoiner where = new StringJoiner(" OR ");
    for (int i = 0; i < keys.size(); i++) {
      where.add("(" + Jdbc.KEY_MATCH + ")");
    }
    String sql = "SELECT " + DocumentSql.COLUMNS + " FROM documents WHERE " + where;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int index = 1;
      for (LedgerKey key : keys) {
        index = Jdbc.setKey(ps, index, key);
      }
      return DocumentSql.mapAll(ps);
    }
  }

  /**
   * A page of a prefix: ids above {@code fromId} in id order, or with {@code backward} ids below it
   * in descending order (the page before a cursor).
   */
  static List<DocumentRecord> byPrefix(
      Connection c,
      String cloud,
      String prefix,
      S3State state,
      long fromId,
      boolean backward,
      int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + DocumentSql.COLUMNS
            + " FROM documents WHERE cloud = ? AND public_id LIKE ? ESCAPE '!' AND id "
            + (backward ? "<" : ">")
            + " ?"
            + (state == null ? "" : " AND s3_state = ?")
            + " ORDER BY id"
            + (backward ? " DESC" : "")
            + " FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, cloud);
      ps.setString(i++, likePrefix(prefix));
      ps.setLong(i++, fromId);
      if (state != null) {
        ps.setString(i++, state.dbValue());
      }
      ps.setInt(i, limit);
      return DocumentSql.mapAll(ps);
    }
  }

  /**
   * Rows of one resource type and delivery type whose public id starts with {@code prefix}, that
   * are not tombstones, in public id order (the order Cloudinary lists and bulk-deletes them in).
   */
  static List<DocumentRecord> liveByPrefix(
      Connection c, String cloud, String resourceType, String type, String prefix, int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + DocumentSql.COLUMNS
            + " FROM documents WHERE cloud = ? AND resource_type = ? AND delivery_type = ?"
            + " AND public_id LIKE ? ESCAPE '!' AND s3_state <> ?"
            + " ORDER BY public_id FETCH FIRST ? ROWS ONLY";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cloud);
      ps.setString(2, resourceType);
      ps.setString(3, type);
      ps.setString(4, likePrefix(prefix));
      ps.setString(5, S3State.DELETED.dbValue());
      ps.setInt(6, limit);
      return DocumentSql.mapAll(ps);
    }
  }

  /** {@code prefix%} with LIKE's wildcards (and the escape character itself) taken literally. */
  static String likePrefix(String prefix) {
    return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }
}
