package io.docshift.proxy.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.proxy.admin.AdminServer;
import io.docshift.proxy.admin.AdminSettings;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.MutableClock;
import io.docshift.testkit.SandboxConfigKeys;
import io.docshift.testkit.TestBodies;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.TrafficControl;
import io.docshift.traffic.control.TrafficControlState;
import io.docshift.traffic.ff4j.Ff4jTrafficStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * The GraphQL endpoint on a real admin listener, with the emulator, S3Proxy and an in-memory H2
 * ledger behind it; one per test (its ledger, S3 key prefix, budget and clock are the test's), over
 * the servers {@link GraphqlServers} shares between test classes.
 */
final class GraphqlFixture implements AutoCloseable {
  static final String TOKEN = "graphql-token";
  static final String OPERATOR = "ops-alice";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  final CloudinaryEmulator emulator;
  final DocShiftConfig config;
  final Ledger ledger;
  final TrafficControl control;
  final S3DocumentStore s3Writer;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final GraphqlEndpoint endpoint;
  final AdminServer admin;

  GraphqlFixture(CloudinaryEmulator emulator, URI s3Endpoint, CostRules rules, boolean batching) {
    this(emulator, s3Endpoint, rules, batching, Map.of());
  }

  /**
   * A fixture whose configuration also has {@code overrides} (e.g. another {@code ledger.url}, a
   * Cloudinary API URL behind a fault injector); the ledger runs on the fixture's clock.
   */
  GraphqlFixture(
      CloudinaryEmulator emulator,
      URI s3Endpoint,
      CostRules rules,
      boolean batching,
      Map<String, String> overrides) {
    this.emulator = emulator;
    this.config = configOf(emulator, s3Endpoint, overrides);
    this.ledger = Ledger.open(LedgerSettings.builder(config).clock(clock).build());
    this.control =
        TrafficControl.builder(
                Ff4jTrafficStore.open(
                    ledger.dataSource(),
                    TrafficControlState.initial(
                        new TrafficState(10, WriteMode.DUAL_CLOUDINARY_PRIMARY, 5),
                        new AutoRevertSettings(
                            true, false, Duration.ofSeconds(10), 50, 100, Duration.ZERO, 3))),
                ledger.audit())
            .executor(Runnable::run)
            .build();
    this.s3Writer = S3DocumentStore.create(StoreSettings.s3(config.s3()).build());
    S3DocumentStore s3Reader = S3DocumentStore.create(StoreSettings.s3(config.s3()).build());
    this.endpoint =
        GraphqlEndpoints.open(config, ledger, control, s3Reader, rules, clock, batching);
    this.admin =
        AdminServer.start(
            AdminSettings.builder(control, ledger)
                .tokensByOwner(Map.of(OPERATOR, TOKEN))
                .graphql(endpoint)
                .build());
  }

  /** The emulator's account, the embedded S3, a fresh key prefix and H2 ledger, then overrides. */
  static DocShiftConfig configOf(
      CloudinaryEmulator emulator, URI s3Endpoint, Map<String, String> overrides) {
    Map<String, String> keys = SandboxConfigKeys.of(emulator, s3Endpoint, "graphql");
    keys.putAll(overrides);
    return DocShiftConfig.builder().overrides(keys).build();
  }

  /** A raw document in Cloudinary and in the ledger (state absent): not yet in S3. */
  StoredAsset seed(String publicId, byte[] bytes) {
    StoredAsset a = seedCloudinaryOnly(publicId, bytes);
    EmulatedAssets.list(ledger, a);
    return a;
  }

  /** A raw document in Cloudinary that the ledger has never heard of. */
  StoredAsset seedCloudinaryOnly(String publicId, byte[] bytes) {
    return EmulatedAssets.seedRaw(emulator, publicId, bytes);
  }

  /** Puts {@code bytes} in S3 as {@code a}'s copy; verified in the ledger when they match. */
  void putS3(StoredAsset a, byte[] bytes) throws Exception {
    putS3Only(a, bytes);
    String md5 = TestBodies.md5Hex(bytes);
    String sha = TestBodies.sha256Hex(bytes);
    if (md5.equals(a.etag())) {
      EmulatedAssets.markVerified(ledger, a, md5, sha);
    }
  }

  /** Puts {@code bytes} in S3 as {@code a}'s copy, behind the ledger's back. */
  void putS3Only(StoredAsset a, byte[] bytes) throws Exception {
    put(a, bytes, Optional.of(TestBodies.sha256Hex(bytes)));
  }

  /**
   * Puts {@code bytes} in S3 as {@code a}'s copy the way the copier streams one (MD5 and version in
   * the metadata, no SHA-256), and records the copy verified with {@code ledgerBytes}' digests.
   */
  void putS3Streamed(StoredAsset a, byte[] bytes, byte[] ledgerBytes) throws Exception {
    put(a, bytes, Optional.empty());
    String md5 = TestBodies.md5Hex(ledgerBytes);
    String sha = TestBodies.sha256Hex(ledgerBytes);
    EmulatedAssets.markVerified(ledger, a, md5, sha);
  }

  private void put(StoredAsset a, byte[] bytes, Optional<String> sha256) throws Exception {
    s3Writer
        .put(
            s3Key(a),
            new PutRequest(
                bytes.length,
                "application/pdf",
                Optional.of(TestBodies.md5Hex(bytes)),
                sha256,
                OptionalLong.of(a.version()),
                AsyncRequestBody.fromBytes(bytes)))
        .get(30, TimeUnit.SECONDS);
  }

  /** {@code a}'s key as S3 addresses it (raw: no format). */
  static DocumentKey s3Key(StoredAsset a) {
    return DocumentKey.of(
        CloudinaryEmulatorExtension.CLOUD_NAME,
        ResourceType.RAW,
        DeliveryType.fromWire(a.type()).orElseThrow(),
        a.publicId(),
        null);
  }

  /** POSTs {@code query} with {@code variables} with {@code token}; the status and the body. */
  Reply post(String query, Map<String, Object> variables, String token) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("query", query);
    body.set("variables", JSON.valueToTree(variables));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(admin.baseUrl().resolve("/graphql"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return Reply.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  Reply post(String query) throws Exception {
    return post(query, Map.of(), TOKEN);
  }

  Reply get(String query) throws Exception {
    String q = java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(admin.baseUrl().resolve("/graphql?query=" + q))
            .header("Authorization", "Bearer " + TOKEN)
            .GET()
            .build();
    return Reply.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  /** An answer: status, content type and parsed body. */
  record Reply(int status, String contentType, JsonNode json) {
    static Reply of(HttpResponse<String> response) throws Exception {
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("content-type").orElse(""),
          JSON.readTree(response.body()));
    }

    JsonNode data() {
      return json.path("data");
    }

    String code() {
      return json.path("errors").path(0).path("extensions").path("code").asText();
    }

    String message() {
      return json.path("errors").path(0).path("message").asText();
    }

    JsonNode spent() {
      return json.path("extensions").path("spent");
    }

    JsonNode cost() {
      return json.path("extensions").path("cost");
    }
  }

  @Override
  public void close() {
    try {
      admin.close();
      endpoint.close();
    } finally {
      s3Writer.close();
      control.close();
      ledger.close();
    }
  }
}
