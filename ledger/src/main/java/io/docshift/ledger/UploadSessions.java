package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code upload_sessions} and {@code upload_chunks} tables: which byte ranges of a chunked
 * upload ({@code X-Unique-Upload-Id}) the fleet has received, so chunks that reach different
 * instances in any order still assemble once. The bytes themselves are elsewhere (temporary S3
 * objects); these rows only say which ranges exist, their SHA-256, and who assembles.
 *
 * <p>Every decision locks the session row first ({@code SELECT ... FOR UPDATE}), so two instances
 * checking overlapping chunks, or storing the last two chunks at the same moment, are serialised:
 * overlap and a changed total are always seen, and exactly one caller is told to assemble. All
 * methods throw {@link LedgerException} when the database fails.
 */
public final class UploadSessions {
  /** What the caller does with a chunk after {@link #reserve}. */
  public enum Step {
    /** New (or a resend not yet stored): put its bytes, then call {@link #stored}. */
    STORE,
    /** A resend of a chunk already stored: skip the put, call {@link #stored}. */
    ALREADY_STORED,
    /** Refused; {@link Reservation#detail()} says why. Nothing was recorded. */
    REFUSED,
    /** Another request is assembling the upload right now. */
    ASSEMBLING,
    /** The upload is complete; {@link Reservation#detail()} is its final answer. */
    DONE
  }

  /** The verdict on one chunk: a step, and the refusal message or final answer. */
  public record Reservation(Step step, String detail) {}

  /** A received byte range, end inclusive. */
  public record Chunk(long start, long end) {}

  private final Jdbc jdbc;

  UploadSessions(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Checks a chunk against the ranges and total received so far and records it (unstored). An
   * identical resend (same range, same SHA-256) is accepted again; overlapping ranges, other bytes
   * for a received range, and a total that disagrees are refused.
   *
   * @param total the total the chunk declares, or -1 when it does not know it yet
   * @param assemblyLease how long an assembler's claim holds before a resend may take it over
   */
  public Reservation reserve(
      String uploadId, long start, long end, long total, String sha256, Duration assemblyLease) {
    requireNonNull(uploadId, "uploadId");
    requireNonNull(sha256, "sha256");
    return jdbc.transaction(
        "reserve chunk " + start + "-" + end + " of upload " + uploadId,
        c -> {
          Session s = lockOrCreate(c, uploadId);
          List<Row> rows = chunks(c, uploadId);
          Row same =
              rows.stream().filter(r -> r.start == start && r.end == end).findFirst().orElse(null);
          if (same != null && !same.sha256.equals(sha256)) {
            return refused("Chunk " + start + "-" + end + " was received before with other bytes");
          }
          if (s.state.equals("done")) {
            return same != null || rows.isEmpty()
                ? new Reservation(Step.DONE, s.answer)
                : refused("Upload " + uploadId + " is already complete");
          }
          if (s.state.equals("assembling") && !lapsed(s, assemblyLease)) {
            return new Reservation(Step.ASSEMBLING, null);
          }
          if (same != null) {
            touch(c, uploadId, s.total);
            return new Reservation(same.stored ? Step.ALREADY_STORED : Step.STORE, null);
          }
          String wrong = disagreement(s.total, rows, start, end, total);
          if (wrong != null) {
            return refused(wrong);
          }
          insertChunk(c, uploadId, start, end, sha256);
          touch(c, uploadId, total >= 0 ? total : s.total);
          return new Reservation(Step.STORE, null);
        });
  }

  /** Forgets an unstored chunk whose put failed, so a resend is checked afresh. */
  public void unreserve(String uploadId, long start) {
    jdbc.autoCommit(
        "unreserve a chunk of " + uploadId,
        c ->
            update(
                c,
                "DELETE FROM upload_chunks WHERE upload_id = ? AND range_start = ? AND NOT stored",
                uploadId,
                start));
  }

  /**
   * Marks a chunk stored and decides completion: when every byte of the known total is stored and
   * nobody holds a live claim, the caller gets the chunks in order and the claim to assemble them.
   *
   * @return the chunks to assemble, or empty when the upload is not complete (or being assembled)
   */
  public Optional<List<Chunk>> stored(String uploadId, long start, Duration assemblyLease) {
    return jdbc.transaction(
        "store chunk of upload " + uploadId,
        c -> {
          Session s = lockOrCreate(c, uploadId);
          update(
              c,
              "UPDATE upload_chunks SET stored = TRUE WHERE upload_id = ? AND range_start = ?",
              uploadId,
              start);
          if (s.total < 0 || s.state.equals("done")) {
            return Optional.<List<Chunk>>empty();
          }
          if (s.state.equals("assembling") && !lapsed(s, assemblyLease)) {
            return Optional.<List<Chunk>>empty();
          }
          List<Chunk> ordered = new ArrayList<>();
          long covered = 0;
          for (Row r : chunks(c, uploadId)) {
            if (!r.stored || r.start != covered) {
              return Optional.<List<Chunk>>empty();
            }
            ordered.add(new Chunk(r.start, r.end));
            covered = r.end + 1;
          }
          if (covered != s.total) {
            return Optional.<List<Chunk>>empty();
          }
          setState(c, uploadId, "assembling", jdbc.now(), null);
          return Optional.of(List.copyOf(ordered));
        });
  }

  /** The upload was written: keep its answer for resends, drop its chunk rows. */
  public void finish(String uploadId, String answer) {
    requireNonNull(answer, "answer");
    jdbc.transaction(
        "finish upload " + uploadId,
        c -> {
          setState(c, uploadId, "done", null, answer);
          return update(c, "DELETE FROM upload_chunks WHERE upload_id = ?", uploadId, null);
        });
  }

  /** Assembly failed: the claim goes, the chunks stay, and a resend may assemble again. */
  public void release(String uploadId) {
    jdbc.autoCommit("release upload " + uploadId, c -> setState(c, uploadId, "open", null, null));
  }

  /** Sessions nobody touched for {@code maxIdle} (ledger clock), oldest first. */
  public List<String> idle(Duration maxIdle) {
    Instant cutoff = jdbc.now().minus(maxIdle);
    return jdbc.autoCommit(
        "list idle uploads",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT upload_id FROM upload_sessions WHERE touched_at < ?"
                      + " ORDER BY touched_at FETCH FIRST 1000 ROWS ONLY")) {
            Jdbc.setInstant(ps, 1, cutoff);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getString(1));
              }
            }
            return ids;
          }
        });
  }

  /** Drops a session and its chunk rows. */
  public void forget(String uploadId) {
    jdbc.autoCommit(
        "forget upload " + uploadId,
        c -> update(c, "DELETE FROM upload_sessions WHERE upload_id = ?", uploadId, null));
  }

  /** Why a new chunk does not fit the session, or null when it does. */
  private static String disagreement(
      long knownTotal, List<Row> rows, long start, long end, long total) {
    if (knownTotal >= 0 && total >= 0 && total != knownTotal) {
      return "Total size changed from " + knownTotal + " to " + total + " mid-upload";
    }
    long limit = total >= 0 ? total : knownTotal;
    for (Row r : rows) {
      if (r.start <= end && start <= r.end) {
        return "Chunk " + start + "-" + end + " overlaps received chunk " + r.start + "-" + r.end;
      }
      if (limit >= 0 && r.end >= limit) {
        return "Total size " + limit + " is below received chunk " + r.start + "-" + r.end;
      }
    }
    return limit >= 0 && end >= limit
        ? "Chunk " + start + "-" + end + " ends beyond the total size " + limit
        : null;
  }

  private boolean lapsed(Session s, Duration lease) {
    return s.claimedAt == null || s.claimedAt.plus(lease).isBefore(jdbc.now());
  }

  private static Reservation refused(String why) {
    return new Reservation(Step.REFUSED, why);
  }

  private Session lockOrCreate(Connection c, String uploadId) throws SQLException {
    Session s = lock(c, uploadId);
    if (s != null) {
      return s;
    }
    // A concurrent insert of the same id fails this one with a unique violation; the transaction
    // is retried once and then finds (and locks) the other's row.
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO upload_sessions (upload_id, state, touched_at) VALUES (?, 'open', ?)")) {
      ps.setString(1, uploadId);
      Jdbc.setInstant(ps, 2, jdbc.now());
      ps.executeUpdate();
    }
    return lock(c, uploadId);
  }

  private static Session lock(Connection c, String uploadId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT total, state, claimed_at, answer FROM upload_sessions WHERE upload_id = ?"
                + " FOR UPDATE")) {
      ps.setString(1, uploadId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Long total = Jdbc.getLong(rs, "total");
        return new Session(
            total == null ? -1 : total,
            rs.getString("state"),
            Jdbc.getInstant(rs, "claimed_at"),
            rs.getString("answer"));
      }
    }
  }

  private static List<Row> chunks(Connection c, String uploadId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT range_start, range_end, sha256, stored FROM upload_chunks WHERE upload_id = ?"
                + " ORDER BY range_start")) {
      ps.setString(1, uploadId);
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4)));
        }
      }
      return rows;
    }
  }

  private static void insertChunk(Connection c, String uploadId, long start, long end, String sha)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO upload_chunks (upload_id, range_start, range_end, sha256, stored)"
                + " VALUES (?, ?, ?, ?, FALSE)")) {
      ps.setString(1, uploadId);
      ps.setLong(2, start);
      ps.setLong(3, end);
      ps.setString(4, sha);
      ps.executeUpdate();
    }
  }

  private void touch(Connection c, String uploadId, long total) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE upload_sessions SET total = ?, touched_at = ? WHERE upload_id = ?")) {
      Jdbc.setLong(ps, 1, total >= 0 ? total : null);
      Jdbc.setInstant(ps, 2, jdbc.now());
      ps.setString(3, uploadId);
      ps.executeUpdate();
    }
  }

  private int setState(
      Connection c, String uploadId, String state, Instant claimedAt, String answer)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE upload_sessions SET state = ?, claimed_at = ?, answer = COALESCE(?, answer),"
                + " touched_at = ? WHERE upload_id = ?")) {
      ps.setString(1, state);
      Jdbc.setInstant(ps, 2, claimedAt);
      ps.setString(3, answer);
      Jdbc.setInstant(ps, 4, jdbc.now());
      ps.setString(5, uploadId);
      return ps.executeUpdate();
    }
  }

  private static int update(Connection c, String sql, String uploadId, Long start)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, uploadId);
      if (start != null) {
        ps.setLong(2, start);
      }
      return ps.executeUpdate();
    }
  }

  private record Session(long total, String state, Instant claimedAt, String answer) {}

  private record Row(long start, long end, String sha256, boolean stored) {}
}
