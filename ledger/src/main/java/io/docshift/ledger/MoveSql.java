package io.docshift.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Tombstones and moves on {@code documents} for the calls that delete or rename originals in bulk
 * (Admin API deletes, {@code rename}); callers own the transaction.
 */
final class MoveSql {
  private static final String BY_PUBLIC_ID =
      "SELECT "
          + DocumentSql.COLUMNS
          + " FROM documents WHERE cloud = ? AND resource_type = ? AND public_id = ? ORDER BY id";

  private MoveSql() {}

  /**
   * Makes {@code key} a tombstone for {@code why} (see {@link DocumentRules#deleted}): an existing
   * row keeps its S3 version and hashes (so the S3 delete can be checked), a missing one is
   * inserted with version 0 when {@code insertMissing}.
   *
   * @return the row as it was before, if there was one
   */
  static Optional<DocumentRecord> tombstone(
      Connection c,
      LedgerKey key,
      TombstoneReason why,
      String reason,
      boolean insertMissing,
      Instant now)
      throws SQLException {
    Optional<DocumentRecord> row = DocumentSql.select(c, key, true);
    if (row.isEmpty()) {
      if (insertMissing) {
        DocumentSql.insert(c, new CloudinaryAsset(key, null, 0, null, 0), why, reason, now);
      }
      return row;
    }
    DocumentRules.Decision decision = DocumentRules.deleted(row.get(), why, reason);
    if (decision.next() != null) {
      DocumentSql.update(c, row.get(), decision.next(), now);
    }
    return row;
  }

  /**
   * The asset now lives at {@code to}'s key: whatever row was there takes it with no S3 copy (S3
   * holds nothing under the new key yet, or another document's bytes), and any lease ends.
   */
  static void place(Connection c, CloudinaryAsset to, String reason, Instant now)
      throws SQLException {
    Optional<DocumentRecord> row = DocumentSql.select(c, to.key(), true);
    if (row.isEmpty()) {
      DocumentSql.insert(c, to, null, null, now);
      return;
    }
    DocumentSql.update(
        c, row.get(), row.get().withAsset(to).withS3(S3Copy.NONE, reason).withAttempts(0), now);
  }

  /** Every row of one resource type with one of {@code publicIds}, whatever its delivery type. */
  static List<DocumentRecord> byPublicIds(
      Connection c, String cloud, String resourceType, Collection<String> publicIds)
      throws SQLException {
    List<DocumentRecord> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(BY_PUBLIC_ID)) {
      for (String publicId : publicIds) {
        ps.setString(1, cloud);
        ps.setString(2, resourceType);
        ps.setString(3, publicId);
        rows.addAll(DocumentSql.mapAll(ps));
      }
    }
    return rows;
  }
}
