package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.stores.s3.S3Temporaries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Looks at the real parts behind DocShift, never through it: S3Proxy with its own S3 client, the
 * emulator's delivery URLs, and the ledger's document and repair-outbox rows.
 */
final class StoreProbe implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final DocShiftConfig config;
  private final Ledger ledger;
  private final S3Client s3;

  StoreProbe(DocShiftConfig config, Ledger ledger) {
    this.config = config;
    this.ledger = ledger;
    this.s3 =
        S3Client.builder()
            .endpointOverride(config.s3().endpoint().orElseThrow())
            .region(Region.of(config.s3().region()))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.s3().accessKey(), config.s3().secretKey())))
            .build();
  }

  DocShiftConfig config() {
    return config;
  }

  String cloud() {
    return config.cloudinary().cloudName();
  }

  /**
   * The S3 object of an uploaded document, or null.
   *
   * @param path {@code {resource_type}/upload/{public_id}[.{format}]}
   */
  byte[] s3(String path) {
    try {
      return s3.getObjectAsBytes(b -> b.bucket(config.s3().bucket()).key(s3Key(path)))
          .asByteArray();
    } catch (NoSuchKeyException e) {
      return null;
    }
  }

  /** Replaces the S3 object of {@code path} behind DocShift's back (no metadata). */
  void replaceInS3(String path, byte[] bytes) {
    s3.putObject(
        b -> b.bucket(config.s3().bucket()).key(s3Key(path)),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
  }

  /** The S3 object's user metadata (md5, sha256, cloudinary-version). */
  Map<String, String> s3Metadata(String path) {
    return s3.headObject(b -> b.bucket(config.s3().bucket()).key(s3Key(path))).metadata();
  }

  /** Every S3 object of this cloud, as {@code {resource_type}/{type}/{public_id}} paths. */
  List<String> s3Paths() {
    String prefix = config.s3().keyPrefix() + cloud() + "/";
    List<String> paths = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(config.s3().bucket()).prefix(prefix))
        .contents()
        .forEach(o -> paths.add(o.key().substring(prefix.length())));
    return paths;
  }

  /** Keys of {@code upload_large} temporaries in S3 (relative to their reserved folder). */
  List<String> chunkTemporaries() {
    String prefix = config.s3().keyPrefix() + S3Temporaries.FOLDER;
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(config.s3().bucket()).prefix(prefix))
        .contents()
        .forEach(o -> keys.add(o.key().substring(prefix.length())));
    return keys;
  }

  /**
   * The ledger's {@code upload_large} sessions as {@code id state chunks}, one line each (chunks:
   * how many chunk rows the session still has).
   */
  List<String> uploadSessions() throws SQLException {
    String sql =
        "SELECT s.upload_id, s.state, (SELECT COUNT(*) FROM upload_chunks c"
            + " WHERE c.upload_id = s.upload_id) FROM upload_sessions s ORDER BY s.upload_id";
    List<String> rows = new ArrayList<>();
    try (Connection c = ledger.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3));
      }
    }
    return rows;
  }

  private String s3Key(String path) {
    return config.s3().keyPrefix() + cloud() + "/" + path;
  }

  /** The original as the emulator delivers it, or null when it has none. */
  byte[] cloudinary(String path) throws Exception {
    URI url = URI.create(config.cloudinary().deliveryBaseUrl() + "/" + path);
    HttpResponse<byte[]> r =
        HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    return r.statusCode() == 200 ? r.body() : null;
  }

  /**
   * Asserts that every acknowledged raw upload (public_id to the bytes the client sent) is in both
   * stores with those bytes' SHA-256 and {@code verified} in the ledger.
   */
  void assertInBothStores(Map<String, byte[]> acknowledged) throws Exception {
    for (Map.Entry<String, byte[]> upload : acknowledged.entrySet()) {
      Doc doc = Doc.raw(upload.getKey());
      String sha256 = Bodies.sha256(upload.getValue());
      assertThat(sha(s3(doc.path()))).as("S3: " + doc.publicId()).isEqualTo(sha256);
      assertThat(sha(cloudinary(doc.path()))).as("Cloudinary: " + doc.publicId()).isEqualTo(sha256);
      assertThat(row(doc.rt(), doc.publicId()).orElseThrow().state())
          .as("ledger: " + doc.publicId())
          .isEqualTo(S3State.VERIFIED);
    }
  }

  /** {@code doc} is {@code body} in both stores, its row verified, nothing queued for repair. */
  void assertVerifiedInBoth(Doc doc, byte[] body) throws Exception {
    assertThat(row(doc.rt(), doc.publicId()).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
    assertThat(s3(doc.path())).isEqualTo(body);
    assertThat(cloudinary(doc.path())).isEqualTo(body);
    assertThat(outbox(doc.rt(), doc.publicId())).isEmpty();
  }

  private static String sha(byte[] bytes) {
    return bytes == null ? null : Bodies.sha256(bytes);
  }

  /** The ledger's row for an {@code upload}-type document. */
  Optional<DocumentRecord> row(String resourceType, String publicId) {
    return ledger.documents().find(key(resourceType, publicId));
  }

  /** The operations queued in the repair outbox for a document. */
  List<String> outbox(String resourceType, String publicId) throws SQLException {
    LedgerKey key = key(resourceType, publicId);
    String sql =
        "SELECT operation FROM repair_outbox WHERE cloud = ? AND resource_type = ?"
            + " AND delivery_type = ? AND public_id = ? ORDER BY operation";
    List<String> operations = new ArrayList<>();
    try (Connection c = ledger.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, key.cloud());
      ps.setString(2, key.resourceType());
      ps.setString(3, key.type());
      ps.setString(4, key.publicId());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          operations.add(rs.getString(1));
        }
      }
    }
    return operations;
  }

  /** How many rows the repair outbox holds, for every document. */
  int outboxSize() throws SQLException {
    try (Connection c = ledger.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM repair_outbox");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Makes every repair-outbox row due now, as if its grace period or backoff had passed: for a test
   * whose writers are all dead, so no intent can still be settled by its writer.
   */
  void outboxDueNow() throws SQLException {
    try (Connection c = ledger.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE repair_outbox SET next_attempt_at = CURRENT_TIMESTAMP")) {
      ps.executeUpdate();
    }
  }

  /** Every repair-outbox row, one line each (id, operation, attempts, due, claim, error). */
  List<String> outboxRows() throws SQLException {
    return outboxRows(false);
  }

  /**
   * Repair-outbox rows as {@link #outboxRows()}; {@code settledOnly} leaves out the intents of
   * writes still in flight (never attempted, due only after their grace period), which a running
   * load keeps adding and clearing.
   */
  List<String> outboxRows(boolean settledOnly) throws SQLException {
    String sql =
        "SELECT public_id, operation, attempts, next_attempt_at, claimed_by, last_error"
            + " FROM repair_outbox"
            + (settledOnly ? " WHERE attempts > 0 OR next_attempt_at <= CURRENT_TIMESTAMP" : "")
            + " ORDER BY id";
    List<String> rows = new ArrayList<>();
    try (Connection c = ledger.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(
            String.format(
                "%s %s attempts=%d due=%s claimed=%s error=%s",
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6)));
      }
    }
    return rows;
  }

  /**
   * Moves the document's row {@code by} into the past (its last change happened that much earlier),
   * for a test that needs a later event without waiting for the clock.
   */
  void ageRow(String resourceType, String publicId, Duration by) throws SQLException {
    LedgerKey key = key(resourceType, publicId);
    String sql =
        "UPDATE documents SET updated_at = ? WHERE cloud = ? AND resource_type = ?"
            + " AND delivery_type = ? AND public_id = ?";
    Instant before = row(resourceType, publicId).orElseThrow().updatedAt().minus(by);
    try (Connection c = ledger.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
      ps.setString(2, key.cloud());
      ps.setString(3, key.resourceType());
      ps.setString(4, key.type());
      ps.setString(5, key.publicId());
      ps.executeUpdate();
    }
  }

  Ledger ledger() {
    return ledger;
  }

  LedgerKey key(String resourceType, String publicId) {
    return new LedgerKey(cloud(), resourceType, "upload", publicId);
  }

  @Override
  public void close() {
    s3.close();
  }
}
