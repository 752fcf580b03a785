package io.docshift.proxy.graphql;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.EmulatedAssets;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream failures give partial data, never a hung request: what the ledger knows is still
 * answered, and each field a failing store should have filled is null with an {@code errors} entry
 * whose {@code extensions.code} says what failed. WireMock stands where the Admin API is (5xx, 429,
 * a reply slower than the timeout); S3 "down" is a port nobody listens on.
 */
class GraphqlUpstreamFailuresTest {
  @RegisterExtension static final GraphqlServers SHARED = new GraphqlServers();

  /** Each request must come back well within this, timeouts included. */
  static final Duration BOUND = Duration.ofSeconds(8);

  static WireMockServer adminApi;

  final String folder = "u" + UUID.randomUUID().toString().substring(0, 8) + "/";
  GraphqlFixture fx;

  @BeforeAll
  static void startFaults() {
    adminApi = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    adminApi.start();
  }

  @AfterAll
  static void stopFaults() {
    adminApi.stop();
  }

  @AfterEach
  void close() {
    adminApi.resetAll();
    if (fx != null) {
      fx.close();
    }
  }

  static byte[] bytes(String text) {
    return ("%PDF-1.4\n" + text).getBytes(StandardCharsets.UTF_8);
  }

  GraphqlFixture fixture(URI s3Endpoint) {
    fx =
        new GraphqlFixture(
            SHARED.emulator(),
            s3Endpoint,
            CostRules.DEFAULTS,
            true,
            Map.of(
                "cloudinary.apiUrl", adminApi.baseUrl(),
                "cloudinary.requestTimeoutMillis", "1000",
                "s3.requestTimeoutMillis", "2000"));
    return fx;
  }

  /** S3 unreachable; the Admin API stub passes every listing through to the real emulator. */
  private void s3DownCloudinaryUp() throws Exception {
    fixture(deadEndpoint());
    adminApi.stubFor(
        get(urlPathMatching(".*/resources/.*"))
            .willReturn(aResponse().proxiedFrom(SHARED.emulator().baseUrl().toString())));
  }

  /** Posts {@code query} as the operator and asserts the answer came within {@link #BOUND}. */
  private GraphqlFixture.Reply answeredWithinBound(String query, Map<String, Object> variables)
      throws Exception {
    long started = System.nanoTime();
    GraphqlFixture.Reply r = fx.post(query, variables, GraphqlFixture.TOKEN);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
    return r;
  }

  static Stream<Arguments> adminApiFaults() {
    String error = "{\"error\":{\"message\":\"x\"}}";
    return Stream.of(
        Arguments.of(aResponse().withStatus(500).withBody(error), "CLOUDINARY_5XX"),
        Arguments.of(aResponse().withStatus(429).withBody(error), "CLOUDINARY_THROTTLED"),
        Arguments.of(
            aResponse().withStatus(200).withBody("{\"resources\":[]}").withFixedDelay(5_000),
            "CLOUDINARY_TIMEOUT"));
  }

  @ParameterizedTest
  @MethodSource("adminApiFaults")
  void adminApiFailureLeavesTheLedgerAndS3Answered(ResponseDefinitionBuilder fault, String code)
      throws Exception {
    fixture(SHARED.s3().endpoint());
    adminApi.stubFor(get(urlPathMatching(".*/resources/.*")).willReturn(fault));
    StoredAsset a = fx.seed(folder + "doc.pdf", bytes("doc"));
    fx.putS3(a, bytes("doc"));

    GraphqlFixture.Reply r =
        answeredWithinBound(
            "query($id: String!) { document(publicId: $id, resourceType: \"raw\") {"
                + " state ledger { etag } s3 { etag } cloudinary { etag } } }",
            Map.of("id", a.publicId()));

    assertThat(r.status()).isEqualTo(200);
    JsonNode d = r.data().path("document");
    assertThat(d.path("state").asText()).isEqualTo("VERIFIED");
    assertThat(d.path("ledger").path("etag").asText()).isEqualTo(a.etag());
    assertThat(d.path("s3").path("etag").asText()).isEqualTo(a.etag());
    assertThat(d.path("cloudinary").isNull()).isTrue();
    JsonNode error = r.json().path("errors").path(0);
    assertThat(error.path("extensions").path("code").asText()).isEqualTo(code);
    assertThat(error.path("extensions").path("backend").asText()).isEqualTo("CLOUDINARY");
    assertThat(error.path("path").toString()).isEqualTo("[\"document\",\"cloudinary\"]");
    assertThat(r.spent().path("cloudinaryAdminApiCalls").asInt()).isEqualTo(1);
  }

  @Test
  void s3DownLeavesTheLedgerAndCloudinaryAnswered() throws Exception {
    s3DownCloudinaryUp();
    StoredAsset a = fx.seed(folder + "doc.pdf", bytes("doc"));

    GraphqlFixture.Reply r =
        answeredWithinBound(
            "query($p: String) { documents(prefix: $p, first: 5) { edges { node {"
                + " state cloudinary { etag } s3 { etag } consistent { consistent reason } } } } }",
            Map.of("p", folder));

    assertThat(r.status()).isEqualTo(200);
    JsonNode node = r.data().path("documents").path("edges").path(0).path("node");
    assertThat(node.path("state").asText()).isEqualTo("ABSENT");
    assertThat(node.path("cloudinary").path("etag").asText()).isEqualTo(a.etag());
    assertThat(node.path("s3").isNull()).isTrue();
    // The verdict cannot be given, and says why, instead of nulling the whole page.
    assertThat(node.path("consistent").path("consistent").isNull()).isTrue();
    assertThat(node.path("consistent").path("reason").asText()).startsWith("S3 failed: S3_");
    List<String> codes = codes(r);
    assertThat(codes).hasSize(1);
    assertThat(codes.get(0)).startsWith("S3_");
    assertThat(r.json().path("errors").path(0).path("path").toString())
        .isEqualTo("[\"documents\",\"edges\",0,\"node\",\"s3\"]");
  }

  @Test
  void s3DownDuringAListingFailsEachS3FieldOnceWithoutFallingBackToHeads() throws Exception {
    s3DownCloudinaryUp();
    for (int i = 0; i < 3; i++) {
      fx.seed(folder + "doc-" + i + ".pdf", bytes("doc " + i));
    }

    GraphqlFixture.Reply r =
        answeredWithinBound(
            "query($p: String) { documents(prefix: $p, first: 5) { edges { node {"
                + " state s3 { etag } consistent { consistent reason } } } } }",
            Map.of("p", folder));

    JsonNode edges = r.data().path("documents").path("edges");
    assertThat(edges).hasSize(3);
    edges.forEach(
        e -> {
          assertThat(e.path("node").path("state").asText()).isEqualTo("ABSENT");
          assertThat(e.path("node").path("s3").isNull()).isTrue();
          assertThat(e.path("node").path("consistent").path("reason").asText())
              .startsWith("S3 failed: S3_");
        });
    assertThat(codes(r)).hasSize(3).allSatisfy(code -> assertThat(code).startsWith("S3_"));
    // One failed LIST answers the batch: a fault does not turn into a HEAD per document.
    assertThat(r.spent().path("s3Lists").asInt()).isEqualTo(1);
    assertThat(r.spent().path("s3Heads").asInt()).isZero();
  }

  @Test
  void reverifyWithS3DownReportsErrorsAndChangesNothing() throws Exception {
    fixture(deadEndpoint());
    StoredAsset a = fx.seed(folder + "doc.pdf", bytes("doc"));
    fx.ledger
        .documents()
        .markCopiedAndVerified(EmulatedAssets.ledgerKey(a), a.version(), a.etag(), "0".repeat(64));

    GraphqlFixture.Reply r =
        answeredWithinBound(
            "mutation($docs: [DocumentRef!]!) { repair(documents: $docs) {"
                + " consistent finding detail repaired } }",
            Map.of("docs", List.of(Map.of("publicId", a.publicId(), "resourceType", "raw"))));

    JsonNode result = r.data().path("repair").path(0);
    assertThat(result.path("consistent").isNull()).isTrue();
    assertThat(result.path("finding").asText()).isEqualTo("error");
    assertThat(result.path("repaired").asBoolean()).isFalse();
    assertThat(result.path("detail").asText()).containsIgnoringCase("s3");
    // The ledger still vouches for the copy it had (an error proves nothing); the try is audited.
    assertThat(fx.ledger.documents().find(EmulatedAssets.ledgerKey(a)).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
    assertThat(fx.ledger.mismatches().latest(5)).isEmpty();
    assertThat(fx.ledger.audit().latest(5)).hasSize(1);
    assertThat(fx.ledger.audit().latest(1).get(0).after()).contains("\"finding\":\"error\"");
  }

  private static List<String> codes(GraphqlFixture.Reply r) {
    List<String> codes = new java.util.ArrayList<>();
    r.json().path("errors").forEach(e -> codes.add(e.path("extensions").path("code").asText()));
    return codes;
  }

  /** An endpoint nobody listens on: S3 is down. */
  private static URI deadEndpoint() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }
}
