package io.docshift.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the documents again and corrects the counters ({@link DocumentCounts}) by what they are
 * off, while the fleet keeps writing. The rows and the counters are read in one snapshot ({@link
 * Jdbc#snapshot}): every transaction changes rows and counters together, so in a snapshot the two
 * differ only by drift (a change made around the ledger, a bug). That difference is then added to
 * the counters in a transaction of its own, like any transaction's deltas: a transaction that
 * committed between the snapshot and the correction is in neither side of the difference and has
 * written its own deltas, so nothing is counted twice or lost. Counting is a full scan of the
 * documents (seconds at two million rows): an operator's repair, not a hot path.
 */
final class CounterRecount {
  /** The folder of a row as the counters key it: {@link DocumentCounts#folder} in SQL. */
  private static final String FOLDER =
      "CASE WHEN POSITION('/' IN public_id) > 0"
          + " THEN SUBSTRING(public_id FROM 1 FOR POSITION('/' IN public_id) - 1) ELSE '' END";

  private static final String ROWS =
      "SELECT cloud, "
          + FOLDER
          + " AS folder, s3_state, COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM documents"
          + " GROUP BY cloud, "
          + FOLDER
          + ", s3_state";

  private static final String KEPT =
      "SELECT cloud, folder, s3_state, SUM(documents) AS n, SUM(bytes) AS b"
          + " FROM document_counts GROUP BY cloud, folder, s3_state";

  private CounterRecount() {}

  static MigrationProgress.Recount run(Jdbc jdbc) {
    Snapshot seen = jdbc.snapshot("count the documents", CounterRecount::read);
    jdbc.transaction(
        "correct the document counters",
        c -> {
          for (Map.Entry<List<String>, long[]> e : seen.drift.entrySet()) {
            List<String> cell = e.getKey();
            S3State state = S3State.fromDb(cell.get(2));
            DocumentCounts.corrected(
                c, cell.get(0), cell.get(1), state, e.getValue()[0], e.getValue()[1]);
          }
          return null;
        });
    long off = seen.drift.values().stream().mapToLong(d -> Math.abs(d[0])).sum();
    return new MigrationProgress.Recount(seen.documents, seen.drift.size(), off);
  }

  private static Snapshot read(Connection c) throws SQLException {
    Map<List<String>, long[]> drift = new HashMap<>();
    long documents = add(c, ROWS, drift, 1);
    add(c, KEPT, drift, -1);
    drift.values().removeIf(d -> d[0] == 0 && d[1] == 0);
    return new Snapshot(documents, drift);
  }

  /** Adds {@code sign} times each cell's documents and bytes; returns the documents summed. */
  private static long add(Connection c, String sql, Map<List<String>, long[]> drift, int sign)
      throws SQLException {
    long documents = 0;
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        List<String> cell = List.of(rs.getString(1), rs.getString(2), rs.getString(3));
        long[] d = drift.computeIfAbsent(cell, k -> new long[2]);
        d[0] += sign * rs.getLong("n");
        d[1] += sign * rs.getLong("b");
        documents += rs.getLong("n");
      }
    }
    return documents;
  }

  /** Documents counted, and per cell (cloud, folder, state) what the counters are short by. */
  private record Snapshot(long documents, Map<List<String>, long[]> drift) {}
}
