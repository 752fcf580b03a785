package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import io.docshift.ledger.DocumentRules.Decision;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code documents} table: one row per Cloudinary asset and the state of its S3 copy.
 *
 * <p>Every method is one transaction; concurrent callers (other threads, processes sharing an H2
 * file, or a fleet sharing PostgreSQL) serialise on the row lock, so each guard sees the state it
 * changes. Transitions never throw for a refused change: they return a {@link Transition} saying
 * why. All methods throw {@link LedgerException} when the database fails, and {@link
 * NullPointerException} for null arguments unless stated.
 *
 * <p>A change that alters what a reader may be served from S3 is announced on {@link
 * DocumentChanges} in the same transaction, whoever makes it, so every instance's read cache learns
 * of it; callers announce nothing themselves.
 */
public final class Documents {
  private final Jdbc jdbc;
  private final LeaseSql leases;

  Documents(Jdbc jdbc) {
    this.jdbc = jdbc;
    this.leases = new LeaseSql(jdbc);
  }

  /**
   * Records Cloudinary metadata: inserts the row (S3 state {@code absent}) or updates it by the
   * rules in {@link UpsertResult}: never downgrade a version; a newer version makes the S3 copy
   * stale ({@code absent}); a {@code deleted} tombstone is revived only by a {@link
   * UpsertOrigin#WRITE} with a strictly newer version.
   */
  public UpsertResult upsert(CloudinaryAsset asset, UpsertOrigin origin) {
    requireNonNull(asset, "asset");
    requireNonNull(origin, "origin");
    return jdbc.transaction("upsert " + asset.key(), c -> upsert(c, asset, origin));
  }

  /**
   * {@link #upsert} for each of {@code assets} (a listing page), in one transaction: one commit per
   * page instead of one per document. Same rules per asset.
   *
   * @return one result per asset, in order
   */
  public List<UpsertResult> upsertAll(List<CloudinaryAsset> assets, UpsertOrigin origin) {
    requireNonNull(assets, "assets");
    requireNonNull(origin, "origin");
    return jdbc.transaction(
        "upsert " + assets.size() + " documents",
        c -> {
          List<UpsertResult> results = new ArrayList<>(assets.size());
          for (CloudinaryAsset asset : assets) {
            results.add(upsert(c, requireNonNull(asset, "asset"), origin));
          }
          return results;
        });
  }

  private UpsertResult upsert(Connection c, CloudinaryAsset asset, UpsertOrigin origin)
      throws SQLException {
    Optional<DocumentRecord> row = DocumentSql.select(c, asset.key(), true);
    if (row.isEmpty()) {
      DocumentSql.insert(c, asset, null, null, jdbc.now());
      return UpsertResult.INSERTED;
    }
    UpsertResult result = DocumentRules.upsertResult(row.get(), asset, origin);
    if (result == UpsertResult.UPDATED || result == UpsertResult.RESURRECTED) {
      DocumentSql.update(c, row.get(), DocumentRules.applyUpsert(row.get(), asset), jdbc.now());
    }
    return result;
  }

  /**
   * A dual-write stored {@code asset} in both stores and S3 was read back holding these hashes: in
   * one transaction the row takes the asset (as {@link UpsertOrigin#WRITE}, so a tombstone is
   * revived only by a strictly newer version) and becomes {@code verified} — or, when the hashes
   * disagree with the asset's etag, stays {@code absent} for the repair worker.
   *
   * @return {@link Transition#APPLIED} when verified; {@link Transition#STALE_VERSION} when the
   *     ledger already knows a newer version (this write lost a race: S3 may hold either, so the
   *     row is left unverified); {@link Transition#HASH_MISMATCH} when the hashes disagree
   */
  public Transition recordWrite(CloudinaryAsset asset, String md5, String sha256) {
    return recordWrite(asset, md5, sha256, RowSeen.unknown());
  }

  /**
   * {@link #recordWrite(CloudinaryAsset, String, String)} by a writer that saw the row as {@code
   * seen} when it started: when the row is unchanged, a tombstone of the same version is revived.
   */
  public Transition recordWrite(CloudinaryAsset asset, String md5, String sha256, RowSeen seen) {
    requireNonNull(asset, "asset");
    requireNonNull(md5, "md5");
    requireNonNull(sha256, "sha256");
    requireNonNull(seen, "seen");
    return jdbc.transaction(
        "record write " + asset.key(), c -> recordWrite(c, asset, md5, sha256, seen));
  }

  /**
   * {@link #recordWrite(CloudinaryAsset, String, String, RowSeen)} and, when it applied, {@link
   * RepairOutbox#settle} of the writer's repair intent, in one transaction: one commit where there
   * were two, and no moment at which the row is verified while the intent is still queued. When the
   * write did not apply, the intent is left as it is for the caller to fail.
   */
  public Transition recordWrite(
      CloudinaryAsset asset,
      String md5,
      String sha256,
      RowSeen seen,
      RepairOutbox outbox,
      RepairTicket ticket) {
    requireNonNull(asset, "asset");
    requireNonNull(md5, "md5");
    requireNonNull(sha256, "sha256");
    requireNonNull(seen, "seen");
    requireNonNull(outbox, "outbox");
    requireNonNull(ticket, "ticket");
    return jdbc.transaction(
        "record write and settle " + asset.key(),
        c -> {
          Transition recorded = recordWrite(c, asset, md5, sha256, seen);
          if (recorded == Transition.APPLIED) {
            outbox.settle(c, ticket);
          }
          return recorded;
        });
  }

  private Transition recordWrite(
      Connection c, CloudinaryAsset asset, String md5, String sha256, RowSeen seen)
      throws SQLException {
    Optional<DocumentRecord> row = DocumentSql.select(c, asset.key(), true);
    DocumentRecord current;
    DocumentRecord before;
    if (row.isEmpty()) {
      DocumentSql.insert(c, asset, null, null, jdbc.now());
      current = DocumentSql.select(c, asset.key(), true).orElseThrow();
      before = current;
    } else {
      before = row.get();
      UpsertResult result =
          DocumentRules.upsertResult(row.get(), asset, writeOrigin(seen, asset.key(), row));
      if (result == UpsertResult.IGNORED_OLDER || result == UpsertResult.TOMBSTONE_KEPT) {
        return unverify(c, row.get(), "a newer write or a destroy won the race");
      }
      current = DocumentRules.applyUpsert(row.get(), asset);
    }
    Decision copied = DocumentRules.copied(current, asset.version(), md5, sha256);
    DocumentRecord next = copied.next() == null ? current : copied.next();
    Decision verified = DocumentRules.verified(next, asset.version(), md5, sha256);
    if (verified.next() == null && verified.result() != Transition.ALREADY) {
      DocumentSql.update(c, before, current, jdbc.now());
      return verified.result();
    }
    DocumentSql.update(c, before, verified.next() == null ? next : verified.next(), jdbc.now());
    return Transition.APPLIED;
  }

  /**
   * {@link #upsert} of a write by a writer that saw the row as {@code seen} when it started (see
   * {@link #recordWrite(CloudinaryAsset, String, String, RowSeen)}).
   */
  public UpsertResult upsertWrite(CloudinaryAsset asset, RowSeen seen) {
    requireNonNull(asset, "asset");
    requireNonNull(seen, "seen");
    return jdbc.transaction(
        "upsert write " + asset.key(),
        c ->
            upsert(
                c,
                asset,
                writeOrigin(seen, asset.key(), DocumentSql.select(c, asset.key(), true))));
  }

  private static UpsertOrigin writeOrigin(
      RowSeen seen, LedgerKey key, Optional<DocumentRecord> now) {
    return seen.unchanged(key, now) ? UpsertOrigin.ORDERED_WRITE : UpsertOrigin.WRITE;
  }

  /** A lost race leaves S3 holding either write: stop S3 reads until a repair settles it. */
  private Transition unverify(Connection c, DocumentRecord row, String reason) throws SQLException {
    if (row.state() == S3State.VERIFIED || row.state() == S3State.COPIED) {
      apply(c, row, DocumentRules.mismatch(row, reason, null, null));
    }
    return Transition.STALE_VERSION;
  }

  /** The row for {@code key}, if any. */
  public Optional<DocumentRecord> find(LedgerKey key) {
    requireNonNull(key, "key");
    return jdbc.autoCommit("find " + key, c -> DocumentSql.select(c, key, false));
  }

  /**
   * What a dual-write commits before either store is written, in one transaction (one round trip
   * where a {@link #find} and a {@link RepairOutbox#intend} were two): the row of {@code key} as
   * the writer sees it, and its repair intent on {@code intent} in {@code outbox}, due after {@code
   * grace} unless the writer settles it.
   */
  public WriteStart startWrite(
      LedgerKey key, RepairOutbox outbox, LedgerKey intent, String reason, Duration grace) {
    requireNonNull(key, "key");
    requireNonNull(outbox, "outbox");
    requireNonNull(intent, "intent");
    requireNonNull(reason, "reason");
    requireNonNull(grace, "grace");
    return jdbc.transaction(
        "start write " + key,
        c -> {
          RowSeen seen = new RowSeen(key, DocumentSql.select(c, key, false));
          return new WriteStart(seen, outbox.intend(c, intent, RepairOperation.PUT, reason, grace));
        });
  }

  /**
   * The rows of every key that has one, in one statement (keys without a row are absent from the
   * answer): what a caller resolving many documents at once uses instead of one {@link #find} each.
   *
   * @throws IllegalArgumentException for more than 1000 keys
   */
  public List<DocumentRecord> findAll(List<LedgerKey> keys) {
    requireNonNull(keys, "keys");
    if (keys.size() > DocumentBatches.MAX_KEYS) {
      throw new IllegalArgumentException(
          "keys: " + keys.size() + " (expected: at most " + DocumentBatches.MAX_KEYS + ")");
    }
    return keys.isEmpty()
        ? List.of()
        : jdbc.autoCommit("find " + keys.size() + " keys", c -> DocumentBatches.byKeys(c, keys));
  }

  /**
   * Up to {@code limit} rows of {@code cloud} whose public id starts with {@code prefix} (taken
   * literally) and, unless {@code state} is null, in that state; id greater than {@code afterId},
   * in id order.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<DocumentRecord> pageByPrefix(
      String cloud, String prefix, S3State state, long afterId, int limit) {
    return prefixPage(cloud, prefix, state, afterId, false, limit);
  }

  /**
   * Like {@link #pageByPrefix}, but the {@code limit} rows just below {@code beforeId}, in
   * descending id order: the page before a cursor.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<DocumentRecord> pageByPrefixBefore(
      String cloud, String prefix, S3State state, long beforeId, int limit) {
    return prefixPage(cloud, prefix, state, beforeId, true, limit);
  }

  private List<DocumentRecord> prefixPage(
      String cloud, String prefix, S3State state, long fromId, boolean backward, int limit) {
    requireNonNull(cloud, "cloud");
    requireNonNull(prefix, "prefix");
    LeaseSql.requirePositive(limit, "limit");
    return jdbc.autoCommit(
        "page " + prefix,
        c -> DocumentBatches.byPrefix(c, cloud, prefix, state, fromId, backward, limit));
  }

  /**
   * Up to {@code limit} rows of one cloud, resource type and delivery type whose public id starts
   * with {@code prefix} (taken literally; empty: all of them) and that are not tombstones, in
   * public id order: what an Admin API delete by prefix or {@code all} can remove.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<DocumentRecord> liveByPrefix(
      String cloud, String resourceType, String type, String prefix, int limit) {
    requireNonNull(cloud, "cloud");
    requireNonNull(resourceType, "resourceType");
    requireNonNull(type, "type");
    requireNonNull(prefix, "prefix");
    LeaseSql.requirePositive(limit, "limit");
    return jdbc.autoCommit(
        "live rows under " + prefix,
        c -> DocumentBatches.liveByPrefix(c, cloud, resourceType, type, prefix, limit));
  }

  /**
   * Up to {@code limit} rows in {@code state} with id greater than {@code afterId}, in id order:
   * page through a state by passing the last id seen (start with 0).
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<DocumentRecord> page(S3State state, long afterId, int limit) {
    requireNonNull(state, "state");
    LeaseSql.requirePositive(limit, "limit");
    String sql =
        "SELECT "
            + DocumentSql.COLUMNS
            + " FROM documents WHERE s3_state = ? AND id > ? ORDER BY id FETCH FIRST ? ROWS ONLY";
    return jdbc.autoCommit(
        "page " + state,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, state.dbValue());
            ps.setLong(2, afterId);
            ps.setInt(3, limit);
            return DocumentSql.mapAll(ps);
          }
        });
  }

  /**
   * Row count per S3 state; every state is present (zero when none). Read from the counters kept
   * with every row change ({@link MigrationProgress#tally()}), not by counting rows.
   */
  public Map<S3State, Long> countByState() {
    return jdbc.autoCommit(
        "count by state", c -> new EnumMap<>(MigrationProgress.tally(c).documents()));
  }

  /**
   * S3 now holds Cloudinary {@code version} with these hashes: state becomes {@code copied} and any
   * lease ends. Refused with {@link Transition#STALE_VERSION} unless {@code version} is the one the
   * row describes (a newer upload arrived meanwhile), and on a tombstone.
   */
  public Transition markCopied(LedgerKey key, long version, String md5, String sha256) {
    requireNonNull(md5, "md5");
    requireNonNull(sha256, "sha256");
    return transition(key, "mark copied", row -> DocumentRules.copied(row, version, md5, sha256));
  }

  /**
   * The S3 object of {@code version} was read back with these hashes: state becomes {@code
   * verified} if the MD5 equals Cloudinary's etag (when known) and the hashes equal those recorded
   * at copy time; otherwise {@link Transition#HASH_MISMATCH} and nothing changes (record the
   * mismatch with {@link #markMismatch}). Refused on {@code absent} and {@code deleted} rows.
   */
  public Transition markVerified(LedgerKey key, long version, String md5, String sha256) {
    requireNonNull(md5, "md5");
    requireNonNull(sha256, "sha256");
    return transition(
        key, "mark verified", row -> DocumentRules.verified(row, version, md5, sha256));
  }

  /**
   * {@link #markCopied}, then {@link #markVerified} with the same hashes, in one transaction: for a
   * copier that wrote the object itself and had S3 check both digests on the way in. The copy step
   * is kept even when verification refuses (as two separate calls would leave it).
   *
   * @return the copy step's refusal ({@link Transition#STALE_VERSION}, {@link
   *     Transition#WRONG_STATE}, {@link Transition#NOT_FOUND}), else the verify step's result
   */
  public Transition markCopiedAndVerified(LedgerKey key, long version, String md5, String sha256) {
    requireNonNull(md5, "md5");
    requireNonNull(sha256, "sha256");
    return transition(
        key,
        "mark copied and verified",
        row -> DocumentRules.copiedAndVerified(row, version, md5, sha256));
  }

  /**
   * S3 content was seen to differ from Cloudinary: state becomes {@code mismatch} (S3 reads stop),
   * {@code reason} is kept as the row's last error, and the observed hashes (null when unknown,
   * e.g. S3 answered 404) replace the recorded ones. Refused on {@code absent} and {@code deleted}.
   */
  public Transition markMismatch(
      LedgerKey key, String reason, String observedMd5, String observedSha256) {
    requireNonNull(reason, "reason");
    return transition(
        key,
        "mark mismatch",
        row -> DocumentRules.mismatch(row, reason, observedMd5, observedSha256));
  }

  /**
   * A copy of {@code version} was refused by S3's own digest check (its bytes were not Cloudinary's
   * original) and S3 stored nothing: state becomes {@code mismatch} with {@code reason}, the
   * recorded S3 copy stays as it was. Unlike {@link #markMismatch}, allowed on an {@code absent}
   * row; refused on a tombstone and for a version other than the row's.
   */
  public Transition markRefused(LedgerKey key, long version, String reason) {
    requireNonNull(reason, "reason");
    return transition(key, "mark refused", row -> DocumentRules.refused(row, version, reason));
  }

  /**
   * The asset was destroyed: the row becomes a {@code deleted} tombstone (created, with version 0,
   * if the ledger never saw the asset) so no listing brings it back. Deleting the S3 object is a
   * separate step (see {@link RepairOutbox}).
   */
  public Transition markDeleted(LedgerKey key, String reason) {
    requireNonNull(key, "key");
    requireNonNull(reason, "reason");
    return jdbc.transaction(
        "mark deleted " + key,
        c -> {
          Optional<DocumentRecord> row = DocumentSql.select(c, key, true);
          if (row.isEmpty()) {
            CloudinaryAsset unknown = new CloudinaryAsset(key, null, 0, null, 0);
            DocumentSql.insert(c, unknown, TombstoneReason.REMOVED, reason, jdbc.now());
            return Transition.APPLIED;
          }
          return apply(
              c, row.get(), DocumentRules.deleted(row.get(), TombstoneReason.REMOVED, reason));
        });
  }

  /**
   * {@link #markDeleted} for many documents in one transaction (an Admin API bulk delete). An
   * existing row becomes a tombstone; a missing one is inserted as a tombstone only with {@code
   * insertMissing} (Cloudinary deleted it; a {@code not_found} id needs no row).
   *
   * @return the rows as they were before, for the documents that had one (their formats name the S3
   *     objects to delete)
   */
  public List<DocumentRecord> markAllDeleted(
      Collection<LedgerKey> keys, boolean insertMissing, String reason) {
    return tombstoneAll(keys, TombstoneReason.REMOVED, insertMissing, reason);
  }

  /**
   * {@link #markAllDeleted}, but the tombstones say the documents are access-controlled ({@link
   * TombstoneReason#ACCESS_CONTROLLED}: served by Cloudinary, never by S3) rather than removed. A
   * removal's tombstone stays one.
   */
  public List<DocumentRecord> markAllAccessControlled(
      Collection<LedgerKey> keys, boolean insertMissing, String reason) {
    return tombstoneAll(keys, TombstoneReason.ACCESS_CONTROLLED, insertMissing, reason);
  }

  private List<DocumentRecord> tombstoneAll(
      Collection<LedgerKey> keys, TombstoneReason why, boolean insertMissing, String reason) {
    requireNonNull(keys, "keys");
    requireNonNull(reason, "reason");
    return jdbc.transaction(
        "mark " + keys.size() + " " + why.dbValue(),
        c -> {
          List<DocumentRecord> before = new ArrayList<>();
          for (LedgerKey key : keys) {
            MoveSql.tombstone(c, requireNonNull(key, "key"), why, reason, insertMissing, jdbc.now())
                .ifPresent(before::add);
          }
          return before;
        });
  }

  /**
   * Cloudinary lists the asset as access-controlled ({@code access_mode: authenticated}): S3 has no
   * access rules, so it must not serve it. In one transaction the row becomes a {@code deleted}
   * tombstone (no listing or repair brings a copy back), or, when the ledger never saw the asset, a
   * tombstone of {@code asset} is inserted (its format names the S3 object to delete). A row of a
   * newer version than {@code asset} (written through DocShift after the listing was read) is left
   * as it is.
   *
   * @return the row as it was before, empty when there was none; its version says whether it was
   *     left alone (newer than {@code asset})
   */
  public Optional<DocumentRecord> markAccessControlled(CloudinaryAsset asset, String reason) {
    requireNonNull(asset, "asset");
    requireNonNull(reason, "reason");
    return jdbc.transaction(
        "mark access-controlled " + asset.key(),
        c -> {
          Optional<DocumentRecord> row = DocumentSql.select(c, asset.key(), true);
          if (row.isEmpty()) {
            DocumentSql.insert(c, asset, TombstoneReason.ACCESS_CONTROLLED, reason, jdbc.now());
          } else if (row.get().asset().version() <= asset.version()) {
            MoveSql.tombstone(
                c, asset.key(), TombstoneReason.ACCESS_CONTROLLED, reason, false, jdbc.now());
          }
          return row;
        });
  }

  /**
   * The asset was renamed (possibly to another delivery type): in one transaction {@code from}
   * becomes a tombstone and {@code to}'s key takes {@code to} with no S3 copy, replacing any row
   * there (a rename with {@code overwrite}). S3 follows separately: the old object is deleted and
   * the new key copied (see {@link RepairOutbox}).
   *
   * @return the row of {@code from} as it was before, if there was one
   */
  public Optional<DocumentRecord> move(LedgerKey from, CloudinaryAsset to, String reason) {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    requireNonNull(reason, "reason");
    return jdbc.transaction(
        "move " + from + " to " + to.key(),
        c -> {
          Optional<DocumentRecord> before =
              from.equals(to.key())
                  ? DocumentSql.select(c, from, true)
                  : MoveSql.tombstone(c, from, TombstoneReason.REMOVED, reason, true, jdbc.now());
          MoveSql.place(c, to, reason, jdbc.now());
          return before;
        });
  }

  /** Every row of {@code resourceType} in {@code cloud} with one of {@code publicIds}, any type. */
  public List<DocumentRecord> findByPublicIds(
      String cloud, String resourceType, Collection<String> publicIds) {
    requireNonNull(cloud, "cloud");
    requireNonNull(resourceType, "resourceType");
    requireNonNull(publicIds, "publicIds");
    return jdbc.autoCommit(
        "find " + publicIds.size() + " public ids",
        c -> MoveSql.byPublicIds(c, cloud, resourceType, publicIds));
  }

  /**
   * Claims up to {@code limit} rows in one of {@code states} that nobody holds (no lease, or an
   * expired one), in id order, for {@code owner} until now + {@code lease}, and counts an attempt
   * on each. Concurrent claimers (threads, processes, a PostgreSQL fleet) never get the same row:
   * rows locked by another claim are skipped ({@code FOR UPDATE SKIP LOCKED}). A lease ends with a
   * transition, {@link #releaseLease}, or expiry.
   *
   * @return the claimed rows, as they are after the claim
   * @throws IllegalArgumentException if {@code limit < 1}, {@code lease} is not positive, or {@code
   *     states} is empty
   */
  public List<DocumentRecord> claimBatch(
      String owner, Duration lease, int limit, Set<S3State> states) {
    return leases.claim(owner, lease, limit, states);
  }

  /**
   * Ends {@code owner}'s lease on {@code key} without a transition (the work failed or was given
   * up), recording {@code error} (may be null) as the last error.
   *
   * @return false if {@code owner} does not hold a lease on the row
   */
  public boolean releaseLease(LedgerKey key, String owner, String error) {
    return leases.release(key, owner, error);
  }

  /**
   * A heartbeat: every lease {@code owner} holds now lapses at now + {@code lease}. A live worker
   * renews every few seconds, so its leases stay short and a dead worker's lapse soon after it
   * died.
   *
   * @return how many leases were renewed
   * @throws IllegalArgumentException if {@code lease} is not positive
   */
  public int renewLeases(String owner, Duration lease) {
    return leases.renew(owner, lease);
  }

  /**
   * Ends every lease {@code owner} holds, expired or not, without touching the rows' states or last
   * errors: a restarted worker (same id) takes back what its previous process held, at once. Only
   * for an id no other live process uses.
   *
   * @return how many leases were ended
   */
  public int releaseLeases(String owner) {
    return leases.releaseAll(owner);
  }

  /**
   * The workers other than {@code exceptOwner} holding unexpired leases on rows in one of {@code
   * states}, by owner name, with how many each holds.
   *
   * @throws IllegalArgumentException if {@code states} is empty
   */
  public List<LeaseHolder> leaseHolders(String exceptOwner, Set<S3State> states) {
    return leases.holders(exceptOwner, states);
  }

  /** Every worker holding unexpired leases, by owner name, with what and until when. */
  public List<WorkerLeases> workers() {
    return leases.workers();
  }

  /** Clears every lease that expired before now; returns how many. Claims ignore them anyway. */
  public int expireLeases() {
    return leases.expire();
  }

  private Transition transition(
      LedgerKey key, String what, Function<DocumentRecord, Decision> rule) {
    requireNonNull(key, "key");
    return jdbc.transaction(
        what + " " + key,
        c -> {
          Optional<DocumentRecord> row = DocumentSql.select(c, key, true);
          return row.isEmpty() ? Transition.NOT_FOUND : apply(c, row.get(), rule.apply(row.get()));
        });
  }

  private Transition apply(Connection c, DocumentRecord before, Decision decision)
      throws SQLException {
    if (decision.next() != null) {
      DocumentSql.update(c, before, decision.next(), jdbc.now());
    }
    return decision.result();
  }
}
