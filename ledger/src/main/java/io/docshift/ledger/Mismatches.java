package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import io.docshift.ledger.MismatchSample.Observation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mismatches} table: the newest samples of content mismatches, capped so a systematic
 * fault (every object differs) cannot fill the database. Counting every mismatch is the metrics'
 * job; this keeps evidence to look at. Methods throw {@link LedgerException} when the database
 * fails.
 */
public final class Mismatches {
  private static final String INSERT =
      "INSERT INTO mismatches (cloud, resource_type, delivery_type, public_id, source, reason,"
          + " cloudinary_status, cloudinary_bytes, cloudinary_md5, cloudinary_sha256,"
          + " s3_status, s3_bytes, s3_md5, s3_sha256, detected_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Deletes everything older than the cap-th newest row. */
  private static final String PRUNE =
      "DELETE FROM mismatches WHERE id < (SELECT id FROM mismatches ORDER BY id DESC"
          + " OFFSET ? ROWS FETCH FIRST 1 ROWS ONLY)";

  private final Jdbc jdbc;
  private final int cap;

  Mismatches(Jdbc jdbc, int cap) {
    this.jdbc = jdbc;
    this.cap = cap;
  }

  /** Stores {@code sample} stamped with the ledger's clock and drops samples beyond the cap. */
  public void record(MismatchSample sample) {
    requireNonNull(sample, "sample");
    jdbc.transaction(
        "record mismatch " + sample.key(),
        c -> {
          insert(c, sample);
          try (PreparedStatement ps = c.prepareStatement(PRUNE)) {
            ps.setInt(1, cap - 1);
            return ps.executeUpdate();
          }
        });
  }

  private void insert(Connection c, MismatchSample sample) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      int i = Jdbc.setKey(ps, 1, sample.key());
      ps.setString(i++, sample.source().dbValue());
      ps.setString(i++, Jdbc.clip(sample.reason()));
      i = bind(ps, i, sample.cloudinary());
      i = bind(ps, i, sample.s3());
      Jdbc.setInstant(ps, i, jdbc.now());
      ps.executeUpdate();
    }
  }

  /**
   * The newest samples first, at most {@code limit}.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<MismatchRecord> latest(int limit) {
    return before(Long.MAX_VALUE, limit);
  }

  /**
   * Newest first, at most {@code limit}, with id below {@code beforeId}: page back through them by
   * passing the last id seen.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<MismatchRecord> before(long beforeId, int limit) {
    return page("SELECT * FROM mismatches WHERE id < ? ORDER BY id DESC", beforeId, limit);
  }

  /**
   * Oldest first, at most {@code limit}, with id above {@code afterId}: the samples just newer than
   * one already seen.
   *
   * @throws IllegalArgumentException if {@code limit < 1}
   */
  public List<MismatchRecord> after(long afterId, int limit) {
    return page("SELECT * FROM mismatches WHERE id > ? ORDER BY id", afterId, limit);
  }

  private List<MismatchRecord> page(String query, long id, int limit) {
    LeaseSql.requirePositive(limit, "limit");
    String sql = query + " FETCH FIRST ? ROWS ONLY";
    return jdbc.autoCommit(
        "list mismatches",
        c -> {
          List<MismatchRecord> records = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                records.add(map(rs));
              }
            }
          }
          return records;
        });
  }

  /** How many samples are stored (at most the cap). */
  public long count() {
    return jdbc.autoCommit(
        "count mismatches",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mismatches");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static int bind(PreparedStatement ps, int index, Observation side) throws SQLException {
    Jdbc.setInt(ps, index, side.status());
    Jdbc.setLong(ps, index + 1, side.bytes());
    ps.setString(index + 2, side.md5());
    ps.setString(index + 3, side.sha256());
    return index + 4;
  }

  static MismatchRecord map(ResultSet rs) throws SQLException {
    MismatchSample sample =
        new MismatchSample(
            Jdbc.getKey(rs),
            MismatchSource.fromDb(rs.getString("source")),
            rs.getString("reason"),
            observation(rs, "cloudinary_"),
            observation(rs, "s3_"));
    return new MismatchRecord(rs.getLong("id"), Jdbc.getInstant(rs, "detected_at"), sample);
  }

  private static Observation observation(ResultSet rs, String prefix) throws SQLException {
    return new Observation(
        Jdbc.getInt(rs, prefix + "status"),
        Jdbc.getLong(rs, prefix + "bytes"),
        rs.getString(prefix + "md5"),
        rs.getString(prefix + "sha256"));
  }
}
