package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far the migration is: documents and bytes per S3 state and the same per top-level folder,
 * read from the counters the ledger keeps with every row change ({@link DocumentCounts}: a few rows
 * per folder, whatever the number of documents), and how many documents became verified lately (the
 * rate an ETA is computed from; the rows changed in the window, through the {@code updated_at}
 * index). Plain SQL that runs unchanged on H2 and PostgreSQL. Methods throw {@link LedgerException}
 * when the database fails.
 */
public final class MigrationProgress {
  private final Jdbc jdbc;

  MigrationProgress(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Documents and bytes per state.
   *
   * @param documents count per state (every state present)
   * @param bytes bytes of the originals per state (every state present)
   */
  public record Tally(Map<S3State, Long> documents, Map<S3State, Long> bytes) {
    /** Copies the maps. */
    public Tally {
      documents = Map.copyOf(documents);
      bytes = Map.copyOf(bytes);
    }
  }

  /** One top-level folder's tally. */
  public record Folder(String name, Tally tally) {}

  /**
   * What a {@link #recount()} found.
   *
   * @param documents documents counted in the ledger
   * @param countersCorrected counters (cloud, folder, state) that were off and were corrected
   * @param documentsMiscounted documents the corrected counters were off by, summed
   */
  public record Recount(long documents, int countersCorrected, long documentsMiscounted) {}

  /**
   * Counts every document again and corrects the counters that are off (a change made around the
   * ledger, a bug), safely while other instances write; a full scan of the documents, for an
   * operator.
   */
  public Recount recount() {
    return CounterRecount.run(jdbc);
  }

  /** Documents and bytes per state over the whole ledger, from the counters. */
  public Tally tally() {
    return jdbc.autoCommit("tally by state", MigrationProgress::tally);
  }

  /** {@link #tally()} on an open connection: one grouped read of the counter rows. */
  static Tally tally(Connection c) throws SQLException {
    String sql =
        "SELECT s3_state, SUM(documents) AS n, SUM(bytes) AS b FROM document_counts"
            + " GROUP BY s3_state";
    Counts counts = new Counts();
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts.add(S3State.fromDb(rs.getString("s3_state")), rs.getLong("n"), rs.getLong("b"));
      }
    }
    return counts.tally();
  }

  /**
   * The first {@code limit} top-level folders of {@code cloud} in name order (the root's ids under
   * the empty name), each with its tally, from the counters.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<Folder> byFolder(String cloud, int limit) {
    requireNonNull(cloud, "cloud");
    LeaseSql.requirePositive(limit, "limit");
    return jdbc.autoCommit(
        "tally by folder",
        c -> {
          List<String> names = firstFolders(c, cloud, limit);
          Map<String, Counts> folders = new LinkedHashMap<>();
          names.forEach(name -> folders.put(name, new Counts()));
          if (!names.isEmpty()) {
            addFolders(c, cloud, names.get(names.size() - 1), folders);
          }
          List<Folder> result = new ArrayList<>();
          folders.forEach((name, counts) -> result.add(new Folder(name, counts.tally())));
          return result;
        });
  }

  /** The first {@code limit} folder names holding documents, in name order. */
  private static List<String> firstFolders(Connection c, String cloud, int limit)
      throws SQLException {
    String sql =
        "SELECT folder FROM document_counts WHERE cloud = ? GROUP BY folder"
            + " HAVING SUM(documents) > 0 ORDER BY folder FETCH FIRST ? ROWS ONLY";
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cloud);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  /** Adds the counters of the folders up to {@code last} into {@code folders}' entries. */
  private static void addFolders(
      Connection c, String cloud, String last, Map<String, Counts> folders) throws SQLException {
    String sql =
        "SELECT folder, s3_state, SUM(documents) AS n, SUM(bytes) AS b FROM document_counts"
            + " WHERE cloud = ? AND folder <= ? GROUP BY folder, s3_state";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cloud);
      ps.setString(2, last);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Counts counts = folders.get(rs.getString("folder"));
          if (counts != null) { // an emptied folder sorts among them but is not listed
            counts.add(S3State.fromDb(rs.getString("s3_state")), rs.getLong("n"), rs.getLong("b"));
          }
        }
      }
    }
  }

  /**
   * Documents now {@code verified} whose row last changed within {@code window} of the ledger's
   * clock: the recent verification pace. A row changes again only if its document does, so this is
   * the number verified in the window, give or take documents rewritten since.
   */
  public long verifiedWithin(Duration window) {
    requireNonNull(window, "window");
    Instant since = jdbc.now().minus(window);
    // The state is compared as an expression so that no database walks the state's index (every
    // verified row: H2 chose it, 347 ms at 200 k rows) instead of the window's (documents_updated).
    String sql =
        "SELECT COUNT(*) FROM documents WHERE updated_at >= ? AND CONCAT(s3_state, '') = ?";
    return jdbc.autoCommit(
        "count verified since " + since,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, since);
            ps.setString(2, S3State.VERIFIED.dbValue());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** Sums per state while rows are read; every state starts at zero. */
  private static final class Counts {
    private final Map<S3State, Long> documents = new EnumMap<>(S3State.class);
    private final Map<S3State, Long> bytes = new EnumMap<>(S3State.class);

    Counts() {
      for (S3State state : S3State.values()) {
        documents.put(state, 0L);
        bytes.put(state, 0L);
      }
    }

    void add(S3State state, long n, long b) {
      documents.merge(state, n, Long::sum);
      bytes.merge(state, b, Long::sum);
    }

    Tally tally() {
      return new Tally(documents, bytes);
    }
  }
}
