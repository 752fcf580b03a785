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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Worker leases on {@code documents}: claim, renew, release, expire, and who holds them. */
final class LeaseSql {
  /** How many batches' worth of ids a claim picks before locking (others may take some). */
  private static final int PICK_FACTOR = 4;

  private static final String PICK =
      "SELECT id FROM documents WHERE s3_state = ? AND id > ? AND id <= ?"
          + " AND (lease_expires_at IS NULL OR lease_expires_at <= ?)"
          + " ORDER BY s3_state, id FETCH FIRST ? ROWS ONLY";

  private final Jdbc jdbc;

  /**
   * Where each claimer's last claim of a state ended (owner and state → id): its next claim walks
   * on from there instead of from the state's lowest id. A run keeps the leases of the documents
   * that failed in it to its end, so a walk from the lowest id passed every one of them on every
   * claim (1.6x slower claims at 200,000 rows with 1 % held on PostgreSQL); walking on passes them
   * once per wrap around.
   */
  private final Map<String, Long> cursors = new ConcurrentHashMap<>();

  LeaseSql(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  List<DocumentRecord> claim(String owner, Duration lease, int limit, Set<S3State> states) {
    requireNonNull(owner, "owner");
    requireNonNull(states, "states");
    requirePositive(limit, "limit");
    requirePositive(lease);
    if (states.isEmpty()) {
      throw new IllegalArgumentException("states must not be empty");
    }
    return jdbc.transaction("claim batch for " + owner, c -> claim(c, owner, lease, limit, states));
  }

  private List<DocumentRecord> claim(
      Connection c, String owner, Duration lease, int limit, Set<S3State> states)
      throws SQLException {
    Instant now = jdbc.now();
    List<DocumentRecord> candidates = new ArrayList<>(limit);
    for (S3State state : new TreeSet<>(states)) {
      if (candidates.size() == limit) {
        break;
      }
      candidates.addAll(lockFree(c, owner, state, now, limit - candidates.size()));
    }
    Lease granted = new Lease(owner, now.plus(lease));
    List<DocumentRecord> claimed = new ArrayList<>(candidates.size());
    for (DocumentRecord row : candidates) {
      DocumentRecord next =
          new DocumentRecord(
              row.id(),
              row.asset(),
              row.s3(),
              row.tombstone(),
              row.lastError(),
              row.attempts() + 1,
              Optional.of(granted),
              row.createdAt(),
              now);
      DocumentSql.update(c, row, next, now);
      claimed.add(next);
    }
    return claimed;
  }

  /**
   * Up to {@code limit} unleased rows of {@code state}, in id order from where this owner's last
   * claim of the state ended, wrapping around to the lowest ids (rows released or expired behind it
   * are taken then), locked for this transaction. Ids are picked without a lock ({@code s3_state =
   * ? AND id > ? ORDER BY s3_state, id} walks the {@code (s3_state, id)} index and stops after
   * {@value #PICK_FACTOR} batches: with {@code FOR UPDATE} in the same statement H2 reads every row
   * of the state, 0.9 s a claim at 200,000 rows), then locked by id with {@code SKIP LOCKED}, state
   * and lease tested again, so concurrent claimers still take disjoint rows on PostgreSQL and H2
   * alike. Picks taken by another claimer meanwhile are passed: the walk goes on past them until
   * the batch is full or the state has no more rows.
   */
  private List<DocumentRecord> lockFree(
      Connection c, String owner, S3State state, Instant now, int limit) throws SQLException {
    String cursor = owner + '\n' + state.dbValue();
    long start = cursors.getOrDefault(cursor, Long.MIN_VALUE);
    List<DocumentRecord> locked = new ArrayList<>(limit);
    walk(c, state, now, start, Long.MAX_VALUE, limit, locked);
    if (locked.size() < limit && start != Long.MIN_VALUE) {
      walk(c, state, now, Long.MIN_VALUE, start, limit, locked);
    }
    if (locked.isEmpty()) {
      cursors.remove(cursor);
    } else {
      cursors.put(cursor, locked.get(locked.size() - 1).id());
    }
    return locked;
  }

  /** Adds to {@code locked} the claimable rows of ids in ({@code after}, {@code upTo}]. */
  private static void walk(
      Connection c,
      S3State state,
      Instant now,
      long after,
      long upTo,
      int limit,
      List<DocumentRecord> locked)
      throws SQLException {
    long from = after;
    while (locked.size() < limit) {
      int want = (limit - locked.size()) * PICK_FACTOR;
      List<Long> ids = pick(c, state, now, from, upTo, want);
      if (ids.isEmpty()) {
        break;
      }
      locked.addAll(lock(c, ids, state, now, limit - locked.size()));
      if (ids.size() < want) {
        break;
      }
      from = ids.get(ids.size() - 1);
    }
  }

  private static List<Long> pick(
      Connection c, S3State state, Instant now, long after, long upTo, int limit)
      throws SQLException {
    List<Long> ids = new ArrayList<>(limit);
    try (PreparedStatement ps = c.prepareStatement(PICK)) {
      ps.setString(1, state.dbValue());
      ps.setLong(2, after);
      ps.setLong(3, upTo);
      Jdbc.setInstant(ps, 4, now);
      ps.setInt(5, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }

  private static List<DocumentRecord> lock(
      Connection c, List<Long> ids, S3State state, Instant now, int limit) throws SQLException {
    String placeholders = ids.stream().map(id -> "?").collect(Collectors.joining(", "));
    String sql =
        "SELECT "
            + DocumentSql.COLUMNS
            + " FROM documents WHERE id IN ("
            + placeholders
            + ") AND s3_state = ? AND (lease_expires_at IS NULL OR lease_expires_at <= ?)"
            + " ORDER BY id FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (long id : ids) {
        ps.setLong(i++, id);
      }
      ps.setString(i++, state.dbValue());
      Jdbc.setInstant(ps, i++, now);
      ps.setInt(i, limit);
      return DocumentSql.mapAll(ps);
    }
  }

  boolean release(LedgerKey key, String owner, String error) {
    requireNonNull(key, "key");
    requireNonNull(owner, "owner");
    String sql =
        "UPDATE documents SET lease_owner = NULL, lease_expires_at = NULL, last_error = ?,"
            + " updated_at = ? WHERE "
            + Jdbc.KEY_MATCH
            + " AND lease_owner = ?";
    return jdbc.autoCommit(
        "release lease on " + key,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, Jdbc.clip(error));
            Jdbc.setInstant(ps, 2, jdbc.now());
            int i = Jdbc.setKey(ps, 3, key);
            ps.setString(i, owner);
            return ps.executeUpdate() > 0;
          }
        });
  }

  int expire() {
    String sql =
        "UPDATE documents SET lease_owner = NULL, lease_expires_at = NULL, updated_at = ?"
            + " WHERE lease_expires_at <= ?";
    return jdbc.autoCommit(
        "expire leases",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Instant now = jdbc.now();
            Jdbc.setInstant(ps, 1, now);
            Jdbc.setInstant(ps, 2, now);
            return ps.executeUpdate();
          }
        });
  }

  /** Extends every lease {@code owner} holds to now + {@code lease}; returns how many. */
  int renew(String owner, Duration lease) {
    requireNonNull(owner, "owner");
    requirePositive(lease);
    String sql =
        "UPDATE documents SET lease_expires_at = ? WHERE lease_owner = ?"
            + " AND lease_expires_at IS NOT NULL";
    return jdbc.autoCommit(
        "renew leases of " + owner,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, jdbc.now().plus(lease));
            ps.setString(2, owner);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Ends every lease {@code owner} holds, expired or not, keeping last errors; returns how many.
   */
  int releaseAll(String owner) {
    requireNonNull(owner, "owner");
    String sql =
        "UPDATE documents SET lease_owner = NULL, lease_expires_at = NULL, updated_at = ?"
            + " WHERE lease_owner = ?";
    return jdbc.releaseHeld("release leases of " + owner, sql, owner);
  }

  /**
   * Who else holds unexpired leases on rows in {@code states}, by owner name. The statement names
   * no state: with {@code s3_state IN (...)} H2 walked the state index over every row left to copy
   * (1.6 s at 2,000,000 rows); without it both databases find the few leased rows through the lease
   * index ({@code lease_expires_at > now}), and the states are picked from their groups here.
   */
  List<LeaseHolder> holders(String exceptOwner, Set<S3State> states) {
    requireNonNull(exceptOwner, "exceptOwner");
    requireNonNull(states, "states");
    if (states.isEmpty()) {
      throw new IllegalArgumentException("states must not be empty");
    }
    String sql =
        "SELECT lease_owner, s3_state, COUNT(*) AS n, MAX(lease_expires_at) AS until"
            + " FROM documents WHERE lease_expires_at > ? AND lease_owner IS NOT NULL"
            + " AND lease_owner <> ? GROUP BY lease_owner, s3_state";
    return jdbc.autoCommit(
        "lease holders",
        c -> {
          Map<String, LeaseHolder> holders = new TreeMap<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, jdbc.now());
            ps.setString(2, exceptOwner);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if (states.contains(S3State.fromDb(rs.getString("s3_state")))) {
                  LeaseHolder group =
                      new LeaseHolder(
                          rs.getString("lease_owner"),
                          rs.getLong("n"),
                          Jdbc.getInstant(rs, "until"));
                  holders.merge(group.owner(), group, LeaseSql::sum);
                }
              }
            }
          }
          return List.copyOf(holders.values());
        });
  }

  private static LeaseHolder sum(LeaseHolder a, LeaseHolder b) {
    Instant later =
        a.latestExpiry().isAfter(b.latestExpiry()) ? a.latestExpiry() : b.latestExpiry();
    return new LeaseHolder(a.owner(), a.documents() + b.documents(), later);
  }

  /** Every worker holding unexpired leases, by owner name: one grouped scan of the lease index. */
  List<WorkerLeases> workers() {
    String sql =
        "SELECT lease_owner, COUNT(*) AS n, MIN(updated_at) AS since,"
            + " MIN(lease_expires_at) AS next_expiry, MAX(lease_expires_at) AS last_expiry"
            + " FROM documents WHERE lease_expires_at > ? AND lease_owner IS NOT NULL"
            + " GROUP BY lease_owner ORDER BY lease_owner";
    return jdbc.autoCommit(
        "workers",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, jdbc.now());
            List<WorkerLeases> workers = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                workers.add(
                    new WorkerLeases(
                        rs.getString("lease_owner"),
                        rs.getLong("n"),
                        Jdbc.getInstant(rs, "since"),
                        Jdbc.getInstant(rs, "next_expiry"),
                        Jdbc.getInstant(rs, "last_expiry")));
              }
            }
            return workers;
          }
        });
  }

  private static void requirePositive(Duration lease) {
    requireNonNull(lease, "lease");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lease must be positive: " + lease);
    }
  }

  static void requirePositive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1: " + value);
    }
  }
}
