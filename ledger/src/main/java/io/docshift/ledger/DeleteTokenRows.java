package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The documents {@code delete_token}s delete, shared by every instance on this ledger: the instance
 * that relayed an upload answer stores its token, any instance that relays the token's {@code
 * delete_by_token} finds the document. Only a SHA-256 of a token is stored (the token is a
 * credential). Expiry is judged by the ledger's clock; expired rows are pruned as tokens are
 * stored, so the table holds about ten minutes of uploads.
 */
public final class DeleteTokenRows {
  /** How long Cloudinary honours a delete token. */
  public static final Duration TOKEN_LIFE = Duration.ofMinutes(10);

  private final Jdbc jdbc;

  DeleteTokenRows(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores {@code token} of {@code key}, valid for {@link #TOKEN_LIFE}, and prunes expired ones.
   */
  public void remember(String token, LedgerKey key) {
    requireNonNull(key, "key");
    String hash = sha256(token);
    jdbc.transaction(
        "remember delete token",
        c -> {
          try (PreparedStatement prune =
                  c.prepareStatement("DELETE FROM delete_tokens WHERE expires_at <= ?");
              PreparedStatement same =
                  c.prepareStatement("DELETE FROM delete_tokens WHERE token_sha256 = ?");
              PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO delete_tokens (token_sha256, cloud, resource_type,"
                          + " delivery_type, public_id, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            Jdbc.setInstant(prune, 1, jdbc.now());
            prune.executeUpdate();
            same.setString(1, hash);
            same.executeUpdate();
            insert.setString(1, hash);
            insert.setString(2, key.cloud());
            insert.setString(3, key.resourceType());
            insert.setString(4, key.type());
            insert.setString(5, key.publicId());
            Jdbc.setInstant(insert, 6, jdbc.now().plus(TOKEN_LIFE));
            insert.executeUpdate();
            return null;
          }
        });
  }

  /** The document of {@code token}, empty when it is unknown or expired. */
  public Optional<LedgerKey> find(String token) {
    String sql =
        "SELECT cloud, resource_type, delivery_type, public_id FROM delete_tokens"
            + " WHERE token_sha256 = ? AND expires_at > ?";
    String hash = sha256(token);
    return jdbc.autoCommit(
        "find delete token",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, hash);
            Jdbc.setInstant(ps, 2, jdbc.now());
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(key(rs)) : Optional.empty();
            }
          }
        });
  }

  /** Forgets {@code token} (Cloudinary accepted it: it deletes nothing twice). */
  public void forget(String token) {
    String hash = sha256(token);
    jdbc.autoCommit(
        "forget delete token",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM delete_tokens WHERE token_sha256 = ?")) {
            ps.setString(1, hash);
            return ps.executeUpdate();
          }
        });
  }

  /** Stored tokens, expired ones included (for tests and gauges). */
  public long count() {
    return jdbc.autoCommit(
        "count delete tokens",
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM delete_tokens");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static LedgerKey key(ResultSet rs) throws SQLException {
    return new LedgerKey(
        rs.getString("cloud"),
        rs.getString("resource_type"),
        rs.getString("delivery_type"),
        rs.getString("public_id"));
  }

  private static String sha256(String token) {
    requireNonNull(token, "token");
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
