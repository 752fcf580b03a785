package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What the ledger remembers about given documents besides their row: mismatch samples, pending
 * repairs, and the audit events of operator actions on them (re-verify, repair). Each read takes a
 * batch of keys in one statement, so resolving a page of documents costs one round trip per kind,
 * not one per document. Methods throw {@link LedgerException} when the database fails.
 *
 * <p>An action on a document is audited with {@code action} {@code document.<verb>} and the
 * document ({@link LedgerKey#toString()}) as {@code before}: what the action applied to, so the
 * document's events are found by equality, without parsing JSON.
 */
public final class DocumentTrails {
  /** The action prefix of events about one document. */
  public static final String ACTION_PREFIX = "document.";

  private final Jdbc jdbc;
  private final AuditLog audit;

  DocumentTrails(Jdbc jdbc, AuditLog audit) {
    this.jdbc = jdbc;
    this.audit = audit;
  }

  /**
   * Audits {@code verb} (e.g. {@code reverify}) by {@code actor} on {@code key}.
   *
   * @param outcome what the action found and did (text or JSON)
   * @param reason why, or null
   */
  public AuditEvent recordAction(
      String actor, String verb, LedgerKey key, String outcome, String reason) {
    requireNonNull(verb, "verb");
    requireNonNull(key, "key");
    return audit.append(actor, ACTION_PREFIX + verb, key.toString(), outcome, reason);
  }

  /** Each key's mismatch samples, newest first; keys without any are absent. */
  public Map<LedgerKey, List<MismatchRecord>> mismatches(List<LedgerKey> keys) {
    return byKeys(
        "SELECT * FROM mismatches WHERE ",
        keys,
        " ORDER BY id DESC",
        Mismatches::map,
        r -> r.sample().key());
  }

  /** Each key's pending repairs (claimed or not), oldest first; keys without any are absent. */
  public Map<LedgerKey, List<RepairTask>> repairs(List<LedgerKey> keys) {
    return byKeys(
        "SELECT " + RepairOutbox.COLUMNS + " FROM repair_outbox WHERE ",
        keys,
        " ORDER BY id",
        RepairOutbox::map,
        RepairTask::key);
  }

  /** Each key's audited actions, newest first; keys without any are absent. */
  public Map<LedgerKey, List<AuditEvent>> actions(List<LedgerKey> keys) {
    requireKeys(keys);
    Map<String, LedgerKey> byText = new HashMap<>();
    keys.forEach(k -> byText.put(k.toString(), k));
    if (keys.isEmpty()) {
      return Map.of();
    }
    StringJoiner in = new StringJoiner(", ", "(", ")");
    keys.forEach(k -> in.add("?"));
    String sql =
        "SELECT * FROM audit_events WHERE action LIKE '"
            + ACTION_PREFIX
            + "%' AND before_value IN "
            + in
            + " ORDER BY id DESC";
    return jdbc.autoCommit(
        "audit of " + keys.size() + " documents",
        c -> {
          Map<LedgerKey, List<AuditEvent>> found = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (LedgerKey key : keys) {
              ps.setString(i++, key.toString());
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                AuditEvent event = AuditLog.map(rs);
                found
                    .computeIfAbsent(byText.get(event.before()), k -> new ArrayList<>())
                    .add(event);
              }
            }
          }
          return found;
        });
  }

  /** One row mapper and the key of what it maps. */
  private interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private interface KeyOf<T> {
    LedgerKey of(T row);
  }

  private <T> Map<LedgerKey, List<T>> byKeys(
      String select, List<LedgerKey> keys, String order, Mapper<T> mapper, KeyOf<T> keyOf) {
    requireKeys(keys);
    if (keys.isEmpty()) {
      return Map.of();
    }
    StringJoiner where = new StringJoiner(" OR ", "(", ")");
    keys.forEach(k -> where.add("(" + Jdbc.KEY_MATCH + ")"));
    String sql = select + where + order;
    return jdbc.autoCommit(
        "trail of " + keys.size() + " documents", c -> query(c, sql, keys, mapper, keyOf));
  }

  private static <T> Map<LedgerKey, List<T>> query(
      Connection c, String sql, List<LedgerKey> keys, Mapper<T> mapper, KeyOf<T> keyOf)
      throws SQLException {
    Map<LedgerKey, List<T>> found = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int index = 1;
      for (LedgerKey key : keys) {
        index = Jdbc.setKey(ps, index, key);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          T row = mapper.map(rs);
          found.computeIfAbsent(keyOf.of(row), k -> new ArrayList<>()).add(row);
        }
      }
    }
    return found;
  }

  private static void requireKeys(List<LedgerKey> keys) {
    requireNonNull(keys, "keys");
    if (keys.size() > DocumentBatches.MAX_KEYS) {
      throw new IllegalArgumentException(
          "keys: " + keys.size() + " (expected: at most " + DocumentBatches.MAX_KEYS + ")");
    }
  }
}
