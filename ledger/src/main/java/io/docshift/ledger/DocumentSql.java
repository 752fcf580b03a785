package io.docshift.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Row mapping and the plain statements on {@code documents}; callers own the transaction. */
final class DocumentSql {
  static final String COLUMNS =
      "id, cloud, resource_type, delivery_type, public_id, format, cloudinary_version,"
          + " cloudinary_etag, bytes, s3_state, s3_version, s3_md5, s3_sha256,"
          + " tombstone_reason, last_error, attempts, lease_owner, lease_expires_at, created_at, updated_at";

  private static final String SELECT_BY_KEY =
      "SELECT " + COLUMNS + " FROM documents WHERE " + Jdbc.KEY_MATCH;

  private static final String INSERT =
      "INSERT INTO documents (cloud, resource_type, delivery_type, public_id, format,"
          + " cloudinary_version, cloudinary_etag, bytes, s3_state, tombstone_reason, last_error,"
          + " attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)";

  private static final String UPDATE =
      "UPDATE documents SET format = ?, cloudinary_version = ?, cloudinary_etag = ?, bytes = ?,"
          + " s3_state = ?, s3_version = ?, s3_md5 = ?, s3_sha256 = ?,"
          + " tombstone_reason = ?, last_error = ?,"
          + " attempts = ?, lease_owner = ?, lease_expires_at = ?, updated_at = ? WHERE id = ?";

  private DocumentSql() {}

  /** Reads one row; with {@code lock} the row stays locked until the transaction ends. */
  static Optional<DocumentRecord> select(Connection c, LedgerKey key, boolean lock)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT_BY_KEY + (lock ? " FOR UPDATE" : ""))) {
      Jdbc.setKey(ps, 1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(map(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Inserts a fresh row with no S3 copy; fails with a unique violation if another writer got there
   * first. Nothing is announced: a new row is never {@code verified} (no copy is recorded yet) and
   * a reader that cached the key's absence holds no removal either, so it still answers right.
   *
   * @param tombstone why the new row is a tombstone, or null for an {@code absent} row
   */
  static void insert(
      Connection c, CloudinaryAsset asset, TombstoneReason tombstone, String reason, Instant now)
      throws SQLException {
    S3State state = tombstone == null ? S3State.ABSENT : S3State.DELETED;
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      int i = Jdbc.setKey(ps, 1, asset.key());
      ps.setString(i++, asset.format());
      ps.setLong(i++, asset.version());
      ps.setString(i++, asset.etag());
      ps.setLong(i++, asset.bytes());
      ps.setString(i++, state.dbValue());
      ps.setString(i++, tombstone == null ? null : tombstone.dbValue());
      ps.setString(i++, Jdbc.clip(reason));
      Jdbc.setInstant(ps, i++, now);
      Jdbc.setInstant(ps, i, now);
      ps.executeUpdate();
    }
    DocumentCounts.inserted(c, asset.key(), state, asset.bytes());
  }

  /**
   * Writes every mutable column of {@code row} (matched by id), stamps {@code updated_at}, and, in
   * the same transaction, announces the change on the feed when it changes what readers may be
   * served ({@link DocumentChanges#announce}), and moves the document counters ({@link
   * DocumentCounts}): every row change goes through here, so none escapes.
   *
   * @param before the row as the caller read it (locked) in this transaction
   */
  static void update(Connection c, DocumentRecord before, DocumentRecord row, Instant now)
      throws SQLException {
    write(c, row, now);
    DocumentCounts.changed(c, before, row);
    DocumentChanges.announce(c, before, row);
  }

  private static void write(Connection c, DocumentRecord row, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
      CloudinaryAsset asset = row.asset();
      S3Copy s3 = row.s3();
      int i = 1;
      ps.setString(i++, asset.format());
      ps.setLong(i++, asset.version());
      ps.setString(i++, asset.etag());
      ps.setLong(i++, asset.bytes());
      ps.setString(i++, s3.state().dbValue());
      Jdbc.setLong(ps, i++, s3.version());
      ps.setString(i++, s3.md5());
      ps.setString(i++, s3.sha256());
      ps.setString(i++, row.tombstone() == null ? null : row.tombstone().dbValue());
      ps.setString(i++, Jdbc.clip(row.lastError()));
      ps.setInt(i++, row.attempts());
      ps.setString(i++, row.lease().map(Lease::owner).orElse(null));
      Jdbc.setInstant(ps, i++, row.lease().map(Lease::expiresAt).orElse(null));
      Jdbc.setInstant(ps, i++, now);
      ps.setLong(i, row.id());
      ps.executeUpdate();
    }
  }

  static List<DocumentRecord> mapAll(PreparedStatement ps) throws SQLException {
    List<DocumentRecord> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(map(rs));
      }
    }
    return rows;
  }

  static DocumentRecord map(ResultSet rs) throws SQLException {
    CloudinaryAsset asset =
        new CloudinaryAsset(
            Jdbc.getKey(rs),
            rs.getString("format"),
            rs.getLong("cloudinary_version"),
            rs.getString("cloudinary_etag"),
            rs.getLong("bytes"));
    S3Copy s3 =
        new S3Copy(
            S3State.fromDb(rs.getString("s3_state")),
            Jdbc.getLong(rs, "s3_version"),
            rs.getString("s3_md5"),
            rs.getString("s3_sha256"));
    String owner = rs.getString("lease_owner");
    Instant expires = Jdbc.getInstant(rs, "lease_expires_at");
    Optional<Lease> lease =
        owner == null || expires == null
            ? Optional.empty()
            : Optional.of(new Lease(owner, expires));
    return new DocumentRecord(
        rs.getLong("id"),
        asset,
        s3,
        TombstoneReason.fromDb(rs.getString("tombstone_reason")),
        rs.getString("last_error"),
        rs.getInt("attempts"),
        lease,
        Jdbc.getInstant(rs, "created_at"),
        Jdbc.getInstant(rs, "updated_at"));
  }
}
