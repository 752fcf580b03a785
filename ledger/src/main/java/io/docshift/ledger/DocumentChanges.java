package io.docshift.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ledger's document change feed: every change of a {@code documents} row that changes what a
 * reader may be served from S3 appends the row's key, and instances poll what was appended so their
 * read caches drop rows that changed elsewhere (through another proxy, the backfill, the repair
 * worker, {@code verify}).
 *
 * <p>The append is part of the row change's own transaction ({@link Documents} and the SQL helpers
 * it uses call {@link #announce}): a change is committed together with its announcement or not at
 * all, whichever process makes it and however it dies. Only changes of the reader's view of a row
 * are announced (to or from {@code verified}, or a verified row's format or digests), so a claim, a
 * lease renewal or a step between unverified states costs no extra statement.
 *
 * <p>Sequence numbers are handed out before commit, so a row may become visible after a higher one
 * was already read. {@link #after} therefore also returns every row committed in the last {@code
 * lookbackSeconds} of database time (the database's clock, so hosts' clocks never matter): a
 * consumer may see a key twice, never misses one unless its poll stalls longer than the look-back.
 */
public final class DocumentChanges {
  /** A page of changes and the highest sequence number in it (or the cursor given, if none). */
  public record Page(long cursor, List<LedgerKey> keys) {}

  private static final int MAX_ROWS = 10_000;

  private final Jdbc jdbc;

  DocumentChanges(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** What a reader's cache keeps of a row: whether S3 may serve it, and what it must hold. */
  private record ReaderView(boolean servable, String format, String md5, String sha256) {
    static final ReaderView NOT_SERVABLE = new ReaderView(false, null, null, null);

    static ReaderView of(DocumentRecord row) {
      return row.state() == S3State.VERIFIED
          ? new ReaderView(true, row.asset().format(), row.s3().md5(), row.s3().sha256())
          : NOT_SERVABLE;
    }
  }

  /**
   * Appends {@code before}'s key in the caller's transaction when the row's change from {@code
   * before} to {@code next} changes what a reader may be served from S3; a failed append fails (and
   * so rolls back) the row change with it.
   */
  static void announce(Connection c, DocumentRecord before, DocumentRecord next)
      throws SQLException {
    if (!Objects.equals(ReaderView.of(before), ReaderView.of(next))) {
      insert(c, before.key());
    }
  }

  private static int insert(Connection c, LedgerKey key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO document_changes (cloud, resource_type, delivery_type, public_id)"
                + " VALUES (?, ?, ?, ?)")) {
      Jdbc.setKey(s, 1, key);
      return s.executeUpdate();
    }
  }

  /** The highest sequence number so far (0 when empty): where a new consumer starts. */
  public long head() {
    return jdbc.autoCommit(
        "read the change feed head",
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM document_changes");
              ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /**
   * Changes after {@code cursor}, plus those of the last {@code lookbackSeconds}, oldest first, at
   * most {@value #MAX_ROWS}.
   */
  public Page after(long cursor, int lookbackSeconds) {
    return jdbc.autoCommit(
        "read the change feed",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT seq, cloud, resource_type, delivery_type, public_id"
                      + " FROM document_changes WHERE seq > ? OR changed_at > CURRENT_TIMESTAMP"
                      + " - INTERVAL '"
                      + lookbackSeconds
                      + "' SECOND ORDER BY seq FETCH FIRST "
                      + MAX_ROWS
                      + " ROWS ONLY")) {
            s.setLong(1, cursor);
            return page(s, cursor);
          }
        });
  }

  private static Page page(PreparedStatement s, long cursor) throws java.sql.SQLException {
    long last = cursor;
    List<LedgerKey> keys = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        last = Math.max(last, rs.getLong("seq"));
        keys.add(Jdbc.getKey(rs));
      }
    }
    return new Page(last, List.copyOf(keys));
  }

  /** Deletes rows older than {@code seconds} of database time; returns how many. */
  public int prune(int seconds) {
    return jdbc.autoCommit(
        "prune the change feed",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM document_changes WHERE changed_at < CURRENT_TIMESTAMP - INTERVAL '"
                      + seconds
                      + "' SECOND")) {
            return s.executeUpdate();
          }
        });
  }
}
