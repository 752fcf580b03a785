package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far the migration is, from the {@code documents} table: documents and bytes per S3 state, the
 * same per top-level folder, and how many documents became verified lately (the rate an ETA is
 * computed from). Each method is one statement; plain SQL that runs unchanged on H2 and PostgreSQL.
 * Methods throw {@link LedgerException} when the database fails.
 */
public final class MigrationProgress {
  /**
   * The folder of a public id: the part before its first {@code /}, or empty for ids at the root.
   * {@code POSITION} and {@code SUBSTRING ... FROM ... FOR} are standard SQL both databases know.
   */
  private static final String FOLDER =
      "CASE WHEN POSITION('/' IN public_id) > 0"
          + " THEN SUBSTRING(public_id FROM 1 FOR POSITION('/' IN public_id) - 1) ELSE '' END";

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

  /** Documents and bytes per state over the whole ledger. */
  public Tally tally() {
    String sql =
        "SELECT s3_state, COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM documents"
            + " GROUP BY s3_state";
    return jdbc.autoCommit(
        "tally by state",
        c -> {
          Counts counts = new Counts();
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              counts.add(
                  S3State.fromDb(rs.getString("s3_state")), rs.getLong("n"), rs.getLong("b"));
            }
          }
          return counts.tally();
        });
  }

  /**
   * The first {@code limit} top-level folders of {@code cloud} in name order (the root's ids under
   * the empty name), each with its tally.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<Folder> byFolder(String cloud, int limit) {
    requireNonNull(cloud, "cloud");
    LeaseSql.requirePositive(limit, "limit");
    String sql =
        "SELECT "
            + FOLDER
            + " AS folder, s3_state, COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b"
            + " FROM documents WHERE cloud = ? GROUP BY "
            + FOLDER
            + ", s3_state ORDER BY folder";
    return jdbc.autoCommit(
        "tally by folder",
        c -> {
          Map<String, Counts> folders = new LinkedHashMap<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, cloud);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String folder = rs.getString("folder");
                if (folders.size() == limit && !folders.containsKey(folder)) {
                  break; // rows come in folder order: the rest belong to later folders
                }
                folders
                    .computeIfAbsent(folder, f -> new Counts())
                    .add(
                        S3State.fromDb(rs.getString("s3_state")), rs.getLong("n"), rs.getLong("b"));
              }
            }
          }
          List<Folder> result = new ArrayList<>();
          folders.forEach((name, counts) -> result.add(new Folder(name, counts.tally())));
          return result;
        });
  }

  /**
   * Documents now {@code verified} whose row last changed within {@code window} of the ledger's
   * clock: the recent verification pace. A row changes again only if its document does, so this is
   * the number verified in the window, give or take documents rewritten since.
   */
  public long verifiedWithin(Duration window) {
    requireNonNull(window, "window");
    Instant since = jdbc.now().minus(window);
    String sql = "SELECT COUNT(*) FROM documents WHERE s3_state = ? AND updated_at >= ?";
    return jdbc.autoCommit(
        "count verified since " + since,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, S3State.VERIFIED.dbValue());
            Jdbc.setInstant(ps, 2, since);
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
