package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import io.docshift.core.retry.Backoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code repair_outbox} table: S3 repairs that must happen eventually, written in the same
 * breath as the client's acknowledgement and drained later with exponential backoff.
 *
 * <p>At most one row exists per (document, operation): queueing it again updates the reason and
 * bumps its revision. Drainers {@link #claim} due rows (which hides them for a visibility timeout,
 * so a crashed drainer's rows come back), then either {@link #complete} or {@link #retry} each. All
 * methods throw {@link LedgerException} when the database fails.
 */
public final class RepairOutbox {
  static final String COLUMNS =
      "id, cloud, resource_type, delivery_type, public_id, operation, reason, revision, attempts,"
          + " next_attempt_at, created_at, last_error";

  private final Jdbc jdbc;
  private final Backoff backoff;

  RepairOutbox(Jdbc jdbc, Backoff backoff) {
    this.jdbc = jdbc;
    this.backoff = backoff;
  }

  /**
   * Queues {@code operation} on {@code key}, due now. If that repair is already queued, only its
   * reason and revision change: its schedule (and any backoff) stays.
   */
  public void enqueue(LedgerKey key, RepairOperation operation, String reason) {
    requireNonNull(key, "key");
    requireNonNull(operation, "operation");
    requireNonNull(reason, "reason");
    jdbc.transaction(
        "enqueue " + operation + " " + key, c -> enqueue(c, key, operation, reason, jdbc.now()));
  }

  /** Inserts the row due at {@code due}, or bumps an existing one; true when it was inserted. */
  private boolean enqueue(
      Connection c, LedgerKey key, RepairOperation operation, String reason, Instant due)
      throws SQLException {
    String bump =
        "UPDATE repair_outbox SET reason = ?, revision = revision + 1 WHERE "
            + Jdbc.KEY_MATCH
            + " AND operation = ?";
    try (PreparedStatement ps = c.prepareStatement(bump)) {
      ps.setString(1, Jdbc.clip(reason));
      ps.setString(Jdbc.setKey(ps, 2, key), operation.dbValue());
      if (ps.executeUpdate() > 0) {
        return false;
      }
    }
    insert(c, key, operation, reason, due, null);
    return true;
  }

  private void insert(
      Connection c,
      LedgerKey key,
      RepairOperation operation,
      String reason,
      Instant due,
      String error)
      throws SQLException {
    String insert =
        "INSERT INTO repair_outbox (cloud, resource_type, delivery_type, public_id, operation,"
            + " reason, next_attempt_at, created_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      int i = Jdbc.setKey(ps, 1, key);
      ps.setString(i++, operation.dbValue());
      ps.setString(i++, Jdbc.clip(reason));
      Jdbc.setInstant(ps, i++, due);
      Jdbc.setInstant(ps, i++, jdbc.now());
      ps.setString(i, error == null ? null : Jdbc.clip(error));
      ps.executeUpdate();
    }
  }

  /**
   * Writes the repair as an intent before a dual-write starts, due only after {@code grace}: if the
   * writer settles it (both stores written) the row disappears; if the writer dies, the row comes
   * due and the repair worker reconciles the stores. An existing row for the same repair keeps its
   * schedule and only gets a new revision.
   *
   * @return the ticket to {@link #settle} or {@link #fail} the intent with
   */
  public RepairTicket intend(
      LedgerKey key, RepairOperation operation, String reason, Duration grace) {
    requireNonNull(key, "key");
    requireNonNull(operation, "operation");
    requireNonNull(reason, "reason");
    requireNonNull(grace, "grace");
    return jdbc.transaction(
        "intend " + operation + " " + key, c -> intend(c, key, operation, reason, grace));
  }

  /**
   * {@link #intend} for each of {@code keys}, in one transaction: the intents of a removal that
   * names several documents (an Admin API delete by {@code public_ids[]}) before it is sent.
   *
   * @return a ticket per key, in the order given
   */
  public Map<LedgerKey, RepairTicket> intendAll(
      Collection<LedgerKey> keys, RepairOperation operation, String reason, Duration grace) {
    requireNonNull(keys, "keys");
    requireNonNull(operation, "operation");
    requireNonNull(reason, "reason");
    requireNonNull(grace, "grace");
    if (keys.isEmpty()) {
      return Map.of();
    }
    return jdbc.transaction(
        "intend " + operation + " of " + keys.size() + " documents",
        c -> {
          Map<LedgerKey, RepairTicket> tickets = new LinkedHashMap<>();
          for (LedgerKey key : keys) {
            tickets.put(key, intend(c, key, operation, reason, grace));
          }
          return tickets;
        });
  }

  /** {@link #intend} in the caller's transaction. */
  RepairTicket intend(
      Connection c, LedgerKey key, RepairOperation operation, String reason, Duration grace)
      throws SQLException {
    boolean inserted = enqueue(c, key, operation, reason, jdbc.now().plus(grace));
    return ticket(c, key, operation, !inserted);
  }

  private static RepairTicket ticket(
      Connection c, LedgerKey key, RepairOperation operation, boolean shared) throws SQLException {
    String sql =
        "SELECT id, revision FROM repair_outbox WHERE " + Jdbc.KEY_MATCH + " AND operation = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(Jdbc.setKey(ps, 1, key), operation.dbValue());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new RepairTicket(rs.getLong("id"), rs.getInt("revision"), key, operation, shared);
      }
    }
  }

  /**
   * The intended writes all succeeded. A writer that had the row to itself removes it (unless it
   * was queued again meanwhile: then it stays). A writer whose intent found the row already there
   * cannot tell whether the other writer's bytes or its own landed last in each store, so it leaves
   * the row (re-queued if gone) due now: the repair worker makes the stores agree.
   *
   * @return true if the row was removed
   */
  public boolean settle(RepairTicket ticket) {
    requireNonNull(ticket, "ticket");
    return jdbc.transaction("settle repair " + ticket.id(), c -> settle(c, ticket));
  }

  /** {@link #settle} inside the caller's transaction (a recorded write settles in its own). */
  boolean settle(Connection c, RepairTicket ticket) throws SQLException {
    if (ticket.shared()) {
      requeueNow(c, ticket, "concurrent writers: make the stores agree", null);
      return false;
    }
    return remove(c, ticket);
  }

  private static boolean remove(Connection c, RepairTicket ticket) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM repair_outbox WHERE id = ? AND revision = ?")) {
      ps.setLong(1, ticket.id());
      ps.setInt(2, ticket.revision());
      return ps.executeUpdate() > 0;
    }
  }

  /**
   * The intent turns into a repair due now, with {@code reason}: the writer did its part and left
   * the rest to the repair worker (a rename's copy of Cloudinary's renamed asset into S3). Like
   * {@link #fail}, a row gone meanwhile is queued again and a claimed row keeps its claim.
   */
  public void dueNow(RepairTicket ticket, String reason) {
    requireNonNull(ticket, "ticket");
    requireNonNull(reason, "reason");
    requeueNow(ticket, reason, null);
  }

  /**
   * An intended write failed: the row records {@code error} and is due now, so the repair worker
   * takes over at once (its own retries then back off). The row's revision moves, so a repair
   * already in flight does not complete it away; a row that is gone meanwhile (a repair worker
   * completed it) is queued again, so the failure is never lost.
   */
  public void fail(RepairTicket ticket, String error) {
    requireNonNull(ticket, "ticket");
    requireNonNull(error, "error");
    requeueNow(ticket, "dual-write failed", error);
  }

  private void requeueNow(RepairTicket ticket, String reason, String error) {
    jdbc.transaction(
        "requeue repair " + ticket.id(),
        c -> {
          requeueNow(c, ticket, reason, error);
          return null;
        });
  }

  private void requeueNow(Connection c, RepairTicket ticket, String reason, String error)
      throws SQLException {
    String sql =
        "UPDATE repair_outbox SET reason = ?, revision = revision + 1,"
            + " last_error = COALESCE(?, last_error),"
            + " next_attempt_at = CASE WHEN claimed_by IS NULL THEN ? ELSE next_attempt_at END"
            + " WHERE "
            + Jdbc.KEY_MATCH
            + " AND operation = ?";
    Instant now = jdbc.now();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, Jdbc.clip(reason));
      ps.setString(2, error == null ? null : Jdbc.clip(error));
      Jdbc.setInstant(ps, 3, now);
      ps.setString(Jdbc.setKey(ps, 4, ticket.key()), ticket.operation().dbValue());
      if (ps.executeUpdate() == 0) {
        insert(c, ticket.key(), ticket.operation(), reason, now, error);
      }
    }
  }

  /**
   * Claims up to {@code limit} due repairs, oldest due first, for {@code owner}: each is hidden
   * from other drainers for {@code visibility} (it comes back after that if neither completed nor
   * retried). Concurrent drainers never claim the same row, and a row waits while another row of
   * its document is claimed elsewhere (its claim not lapsed), also when both claims run at the same
   * instant: claims take turns on one lock row.
   *
   * @throws IllegalArgumentException if {@code limit < 1} or {@code visibility} is not positive
   */
  public List<RepairTask> claim(String owner, Duration visibility, int limit) {
    requireNonNull(owner, "owner");
    requireNonNull(visibility, "visibility");
    LeaseSql.requirePositive(limit, "limit");
    if (visibility.isNegative() || visibility.isZero()) {
      throw new IllegalArgumentException("visibility must be positive: " + visibility);
    }
    return jdbc.transaction("claim repairs for " + owner, c -> claim(c, owner, visibility, limit));
  }

  /** The claim inside the caller's transaction (package-private: a test holds it open). */
  List<RepairTask> claim(Connection c, String owner, Duration visibility, int limit)
      throws SQLException {
    // Claims take turns on one lock row: the check below sees another drainer's claim only once
    // that claim is committed, so two claims running at once could take two rows of one document.
    // Waiting here (a claim lasts milliseconds) makes the check see every earlier claim, on H2 and
    // PostgreSQL alike (each statement reads what was committed before it started).
    try (PreparedStatement lock =
            c.prepareStatement("SELECT id FROM repair_claim_lock WHERE id = 1 FOR UPDATE");
        ResultSet rs = lock.executeQuery()) {
      rs.next();
    }
    Instant now = jdbc.now();
    // A row whose document has another row claimed (and not lapsed) waits: two repairs of one
    // document run side by side could each copy the other store's old bytes.
    String select =
        "SELECT "
            + COLUMNS
            + " FROM repair_outbox r WHERE next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM"
            + " repair_outbox o WHERE o.cloud = r.cloud AND o.resource_type = r.resource_type"
            + " AND o.delivery_type = r.delivery_type AND o.public_id = r.public_id"
            + " AND o.id <> r.id AND o.claimed_by IS NOT NULL AND o.next_attempt_at > ?)"
            + " ORDER BY next_attempt_at, id FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED";
    List<RepairTask> due = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(select)) {
      Jdbc.setInstant(ps, 1, now);
      Jdbc.setInstant(ps, 2, now);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          due.add(map(rs));
        }
      }
    }
    Instant hiddenUntil = now.plus(visibility);
    String hide = "UPDATE repair_outbox SET next_attempt_at = ?, claimed_by = ? WHERE id = ?";
    List<RepairTask> claimed = new ArrayList<>(due.size());
    try (PreparedStatement ps = c.prepareStatement(hide)) {
      for (RepairTask task : due) {
        Jdbc.setInstant(ps, 1, hiddenUntil);
        ps.setString(2, owner);
        ps.setLong(3, task.id());
        ps.executeUpdate();
        claimed.add(withSchedule(task, task.attempts(), hiddenUntil, task.lastError()));
      }
    }
    return claimed;
  }

  /**
   * The repair succeeded: the row goes, unless the same repair was queued again while this one was
   * in flight (its revision moved), in which case the row stays and is due now.
   *
   * @return true if the row was removed
   */
  public boolean complete(RepairTask task) {
    requireNonNull(task, "task");
    return jdbc.transaction(
        "complete repair " + task.id(),
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM repair_outbox WHERE id = ? AND revision = ?")) {
            ps.setLong(1, task.id());
            ps.setInt(2, task.revision());
            if (ps.executeUpdate() > 0) {
              return true;
            }
          }
          String due =
              "UPDATE repair_outbox SET next_attempt_at = ?, claimed_by = NULL WHERE id = ?";
          try (PreparedStatement ps = c.prepareStatement(due)) {
            Jdbc.setInstant(ps, 1, jdbc.now());
            ps.setLong(2, task.id());
            ps.executeUpdate();
          }
          return false;
        });
  }

  /**
   * The repair failed: counts the attempt, records {@code error}, and schedules the next attempt
   * after the backoff for the new attempt count.
   *
   * @return the task as rescheduled
   */
  public RepairTask retry(RepairTask task, String error) {
    requireNonNull(task, "task");
    requireNonNull(error, "error");
    int attempts = task.attempts() + 1;
    Instant next = jdbc.now().plus(backoff.delayAfter(attempts));
    String sql =
        "UPDATE repair_outbox SET attempts = ?, last_error = ?, next_attempt_at = ?,"
            + " claimed_by = NULL WHERE id = ?";
    jdbc.autoCommit(
        "retry repair " + task.id(),
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, attempts);
            ps.setString(2, Jdbc.clip(error));
            Jdbc.setInstant(ps, 3, next);
            ps.setLong(4, task.id());
            return ps.executeUpdate();
          }
        });
    return withSchedule(task, attempts, next, Jdbc.clip(error));
  }

  /**
   * Gives back every row {@code owner} still holds (claimed, neither completed nor retried): they
   * are due again now, for another drainer, instead of after their visibility timeout. For a
   * drainer that stops; a row it was still applying may then be applied twice, which every repair
   * tolerates (each is an idempotent reconciliation).
   *
   * @return how many rows were given back
   */
  public int release(String owner) {
    requireNonNull(owner, "owner");
    String sql =
        "UPDATE repair_outbox SET next_attempt_at = ?, claimed_by = NULL WHERE claimed_by = ?";
    return jdbc.releaseHeld("release repairs of " + owner, sql, owner);
  }

  /** Depth of the outbox and the age of its oldest row, for metrics and status. */
  public OutboxStats stats() {
    String sql = "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM repair_outbox";
    return jdbc.autoCommit(
        "outbox stats",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            Instant oldest = Jdbc.getInstant(rs, "oldest");
            Duration age = oldest == null ? Duration.ZERO : Duration.between(oldest, jdbc.now());
            return new OutboxStats(rs.getLong("n"), age.isNegative() ? Duration.ZERO : age);
          }
        });
  }

  /**
   * Whether a repair {@code operation} on {@code key} is queued (due, backing off or claimed), e.g.
   * a {@code cld_put}: Cloudinary is behind S3 for that document.
   */
  public boolean queued(LedgerKey key, RepairOperation operation) {
    requireNonNull(key, "key");
    requireNonNull(operation, "operation");
    String sql = "SELECT 1 FROM repair_outbox WHERE " + Jdbc.KEY_MATCH + " AND operation = ?";
    return jdbc.autoCommit(
        "outbox queued " + operation + " " + key,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(Jdbc.setKey(ps, 1, key), operation.dbValue());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  static RepairTask map(ResultSet rs) throws SQLException {
    return new RepairTask(
        rs.getLong("id"),
        Jdbc.getKey(rs),
        RepairOperation.fromDb(rs.getString("operation")),
        rs.getString("reason"),
        rs.getInt("revision"),
        rs.getInt("attempts"),
        Jdbc.getInstant(rs, "next_attempt_at"),
        Jdbc.getInstant(rs, "created_at"),
        rs.getString("last_error"));
  }

  private static RepairTask withSchedule(
      RepairTask task, int attempts, Instant nextAttemptAt, String lastError) {
    return new RepairTask(
        task.id(),
        task.key(),
        task.operation(),
        task.reason(),
        task.revision(),
        attempts,
        nextAttemptAt,
        task.createdAt(),
        lastError);
  }
}
