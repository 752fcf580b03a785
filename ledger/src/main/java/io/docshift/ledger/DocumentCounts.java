package io.docshift.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Documents and bytes per cloud, top-level folder and S3 state, kept in {@code document_counts} by
 * the transactions that change {@code documents}, so that counting the ledger reads a few hundred
 * counter rows instead of every document (see {@link MigrationProgress}).
 *
 * <p>Every row change goes through {@link DocumentSql}, which reports it here ({@link #inserted},
 * {@link #changed}); the deltas are summed per counter row and written just before the transaction
 * commits ({@link Pending#flush}), in one fixed order, so two transactions never wait on each
 * other's counter rows in opposite orders (no deadlock), and a counter row stays locked only for
 * the flush and the commit. A transaction that rolls back writes no delta: the deltas are only in
 * memory until the flush, and the flush is part of the transaction.
 *
 * <p>Each counter is split over {@link #SLOTS} rows; a transaction writes all its deltas to one
 * slot picked at random and readers sum the slots. Without that, every settlement of a 32-worker
 * backfill would queue on the same two rows (its folder's {@code absent} and {@code verified})
 * until the previous settler committed.
 */
final class DocumentCounts {
  /**
   * Rows per counter. A hidden system property lets the scale benchmark compare slot counts (it
   * changes nothing but contention: readers sum whatever slots exist).
   */
  static final int SLOTS = Math.max(1, Integer.getInteger("docshift.ledger.countSlots", 8));

  private static final String ADD =
      "UPDATE document_counts SET documents = documents + ?, bytes = bytes + ?"
          + " WHERE cloud = ? AND folder = ? AND s3_state = ? AND slot = ?";

  /**
   * Creates the missing slots of a counter, all at once (at zero), so later deltas always find
   * their row; the migration that filled the counters created slot 0 only.
   */
  private static final String CREATE =
      "INSERT INTO document_counts (cloud, folder, s3_state, slot, documents, bytes)"
          + " SELECT CAST(? AS VARCHAR(255)), CAST(? AS VARCHAR(1024)), CAST(? AS VARCHAR(16)),"
          + " s.slot, 0, 0 FROM ("
          + IntStream.range(0, SLOTS)
              .mapToObj(i -> "SELECT " + i + " AS slot")
              .collect(Collectors.joining(" UNION ALL "))
          + ") s WHERE NOT EXISTS (SELECT 1 FROM document_counts d WHERE d.cloud = ?"
          + " AND d.folder = ? AND d.s3_state = ? AND d.slot = s.slot)";

  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * The transaction open on this thread. A ledger transaction runs start to end on the thread that
   * began it ({@link Jdbc#transaction}), and the statements that change rows get only its
   * connection, so the thread is what ties a row change to its transaction's deltas.
   */
  private static final ThreadLocal<Pending> OPEN = new ThreadLocal<>();

  private DocumentCounts() {}

  /** One counter row's identity (less the slot). */
  private record Cell(String cloud, String folder, S3State state) implements Comparable<Cell> {
    static Cell of(LedgerKey key, S3State state) {
      return new Cell(key.cloud(), DocumentCounts.folder(key.publicId()), state);
    }

    @Override
    public int compareTo(Cell o) {
      int c = cloud.compareTo(o.cloud);
      if (c == 0) {
        c = folder.compareTo(o.folder);
      }
      return c != 0 ? c : state.compareTo(o.state);
    }
  }

  /**
   * The top-level folder of a public id: the part before its first {@code /}, or empty for an id at
   * the root; the same as the SQL expression the counters' migration filled them with.
   */
  static String folder(String publicId) {
    int slash = publicId.indexOf('/');
    return slash < 0 ? "" : publicId.substring(0, slash);
  }

  /** Starts collecting the deltas of the transaction {@code connection} runs on this thread. */
  static Pending open(Connection connection) {
    Pending pending = new Pending(connection, OPEN.get());
    OPEN.set(pending);
    return pending;
  }

  /** A row was inserted with {@code state} and {@code bytes}. */
  static void inserted(Connection c, LedgerKey key, S3State state, long bytes) {
    pending(c).add(Cell.of(key, state), 1, bytes);
  }

  /** A row changed from {@code before} to {@code after} (same key). */
  static void changed(Connection c, DocumentRecord before, DocumentRecord after) {
    long was = before.asset().bytes();
    long now = after.asset().bytes();
    if (before.state() == after.state() && was == now) {
      return;
    }
    Pending pending = pending(c);
    pending.add(Cell.of(before.key(), before.state()), -1, -was);
    pending.add(Cell.of(after.key(), after.state()), 1, now);
  }

  /**
   * Moves the counter of {@code cloud}, {@code folder} and {@code state} by the given amounts in
   * the transaction open on {@code c}: a recount's correction ({@link CounterRecount}), written
   * like any transaction's deltas, so it adds to what concurrent transactions write rather than
   * overwriting.
   */
  static void corrected(
      Connection c, String cloud, String folder, S3State state, long documents, long bytes) {
    pending(c).add(new Cell(cloud, folder, state), documents, bytes);
  }

  private static Pending pending(Connection c) {
    Pending pending = OPEN.get();
    if (pending == null || pending.connection != c) {
      // A change outside a ledger transaction would leave the counters wrong for good.
      throw new IllegalStateException("documents changed outside a ledger transaction");
    }
    return pending;
  }

  /** The deltas of one transaction, in counter order; at most one per counter row. */
  static final class Pending implements AutoCloseable {
    private final Connection connection;
    private final Pending outer;
    private final Map<Cell, long[]> deltas = new TreeMap<>();

    private Pending(Connection connection, Pending outer) {
      this.connection = connection;
      this.outer = outer;
    }

    private void add(Cell cell, long documents, long bytes) {
      long[] delta = deltas.computeIfAbsent(cell, k -> new long[2]);
      delta[0] += documents;
      delta[1] += bytes;
    }

    /** Writes the deltas (on the transaction's connection, before its commit) and forgets them. */
    void flush() throws SQLException {
      if (deltas.isEmpty()) {
        return; // most transactions change no document
      }
      int slot = ThreadLocalRandom.current().nextInt(SLOTS);
      try (PreparedStatement add = connection.prepareStatement(ADD)) {
        for (Map.Entry<Cell, long[]> e : deltas.entrySet()) {
          long[] d = e.getValue();
          if (d[0] != 0 || d[1] != 0) {
            apply(add, e.getKey(), slot, d);
          }
        }
      }
      deltas.clear();
    }

    private void apply(PreparedStatement add, Cell cell, int slot, long[] d) throws SQLException {
      if (bind(add, cell, slot, d).executeUpdate() > 0) {
        return;
      }
      // First change of this counter in this slot: create its missing slots. A concurrent
      // transaction may create them first; the savepoint keeps this transaction alive through the
      // unique violation, and the add then finds the rows the other one committed.
      Savepoint before = connection.setSavepoint();
      try (PreparedStatement create = connection.prepareStatement(CREATE)) {
        for (int at : new int[] {0, 3}) {
          create.setString(at + 1, cell.cloud());
          create.setString(at + 2, cell.folder());
          create.setString(at + 3, cell.state().dbValue());
        }
        create.executeUpdate();
        connection.releaseSavepoint(before);
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        connection.rollback(before);
      }
      if (bind(add, cell, slot, d).executeUpdate() != 1) {
        throw new SQLException("no counter row for " + cell + " in slot " + slot);
      }
    }

    private static PreparedStatement bind(PreparedStatement ps, Cell cell, int slot, long[] d)
        throws SQLException {
      ps.setLong(1, d[0]);
      ps.setLong(2, d[1]);
      ps.setString(3, cell.cloud());
      ps.setString(4, cell.folder());
      ps.setString(5, cell.state().dbValue());
      ps.setInt(6, slot);
      return ps;
    }

    /** Ends collection for this transaction (committed or not). */
    @Override
    public void close() {
      if (outer == null) {
        OPEN.remove();
      } else {
        OPEN.set(outer);
      }
    }
  }
}
