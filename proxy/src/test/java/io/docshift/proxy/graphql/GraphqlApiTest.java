package io.docshift.proxy.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.ledger.AuditEvent;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.TestBodies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Queries and mutations end to end: admin listener, emulator, S3Proxy, H2 ledger. */
class GraphqlApiTest {
  @RegisterExtension static final GraphqlServers SHARED = new GraphqlServers();

  static final String DOC_FIELDS =
      "publicId state ledger { bytes etag } cloudinary { bytes etag version accessMode }"
          + " s3 { size etag checksum } consistent { consistent reason } servedFrom";

  final String folder = "f" + UUID.randomUUID().toString().substring(0, 8) + "/";
  GraphqlFixture fx;

  GraphqlFixture fixture(CostRules rules, boolean batching) {
    fx =
        new GraphqlFixture(
            SHARED.emulator(), SHARED.s3().endpoint(), rules, batching, ledgerSettings());
    return fx;
  }

  /** The ledger's configuration keys beyond the fixture's (its in-memory H2 by default). */
  Map<String, String> ledgerSettings() {
    return Map.of();
  }

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  static byte[] bytes(String text) {
    return ("%PDF-1.4\n" + text).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void oneDocumentWithBothStoresInOneCallEach() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    StoredAsset a = fx.seed(folder + "licence.pdf", bytes("licence"));
    fx.putS3(a, bytes("licence"));
    long calls = SHARED.emulator().adminApiCalls();

    GraphqlFixture.Reply r =
        fx.post(
            "query($id: String!) { document(publicId: $id, resourceType: \"raw\") { "
                + DOC_FIELDS
                + " } }",
            Map.of("id", a.publicId()),
            GraphqlFixture.TOKEN);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/graphql-response+json");
    JsonNode d = r.data().path("document");
    assertThat(d.path("state").asText()).isEqualTo("VERIFIED");
    assertThat(d.path("ledger").path("etag").asText()).isEqualTo(a.etag());
    assertThat(d.path("cloudinary").path("etag").asText()).isEqualTo(a.etag());
    assertThat(d.path("cloudinary").path("bytes").asLong()).isEqualTo(a.bytes());
    assertThat(d.path("s3").path("etag").asText()).isEqualTo(a.etag());
    assertThat(d.path("s3").path("size").asLong()).isEqualTo(a.bytes());
    assertThat(d.path("consistent").path("consistent").asBoolean()).isTrue();
    assertThat(d.path("servedFrom").asText()).isIn("S3", "CLOUDINARY");
    assertThat(r.spent().path("ledgerQueries").asInt()).isEqualTo(1);
    assertThat(r.spent().path("cloudinaryAdminApiCalls").asInt()).isEqualTo(1);
    assertThat(r.spent().path("s3Heads").asInt()).isEqualTo(1);
    assertThat(SHARED.emulator().adminApiCalls() - calls).isEqualTo(1);
    assertThat(r.cost().path("requestedQueryCost").asLong()).isEqualTo(1 + 1 + 1 + 3 + 2 + 5 + 1);
    assertThat(r.cost().path("actualQueryCost").asLong()).isEqualTo(14);
  }

  /**
   * A copy the backfill streamed has no SHA-256 in its metadata: {@code s3.checksum} is the
   * ledger's when the ledger recorded the object's MD5, and null when it recorded other bytes.
   */
  @Test
  void checksumOfAStreamedCopyIsTheLedgersOnlyWhenTheLedgerRecordedItsMd5() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    StoredAsset streamed = fx.seed(folder + "streamed.pdf", bytes("streamed"));
    fx.putS3Streamed(streamed, bytes("streamed"), bytes("streamed"));
    StoredAsset other = fx.seed(folder + "other.pdf", bytes("other"));
    fx.putS3Streamed(other, bytes("replaced behind the ledger"), bytes("other"));
    String fields = " { s3 { etag checksum } ledger { s3Sha256 } consistent { consistent } }";

    GraphqlFixture.Reply r =
        fx.post(
            "{ a: document(publicId: \""
                + streamed.publicId()
                + "\", resourceType: \"raw\")"
                + fields
                + " b: document(publicId: \""
                + other.publicId()
                + "\", resourceType: \"raw\")"
                + fields
                + " }");

    JsonNode a = r.data().path("a");
    String sha256 = TestBodies.sha256Hex(bytes("streamed"));
    assertThat(a.path("s3").path("checksum").asText()).isEqualTo(sha256);
    assertThat(a.path("ledger").path("s3Sha256").asText()).isEqualTo(sha256);
    assertThat(a.path("consistent").path("consistent").asBoolean()).isTrue();
    JsonNode b = r.data().path("b");
    assertThat(b.path("s3").path("etag").asText())
        .isEqualTo(TestBodies.md5Hex(bytes("replaced behind the ledger")));
    assertThat(b.path("s3").path("checksum").isNull()).as("nothing vouches for it").isTrue();
    assertThat(b.path("consistent").path("consistent").asBoolean()).isFalse();
    assertThat(r.spent().path("ledgerQueries").asInt()).isEqualTo(1);
  }

  @Test
  void verdictSaysWhyStoresDisagree() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    StoredAsset differs = fx.seed(folder + "differs.pdf", bytes("cloudinary"));
    fx.putS3(differs, bytes("tampered"));
    StoredAsset missing = fx.seed(folder + "missing.pdf", bytes("only cloudinary"));

    GraphqlFixture.Reply r =
        fx.post(
            "{ a: document(publicId: \""
                + differs.publicId()
                + "\", resourceType: \"raw\") { state consistent { consistent reason } }"
                + " b: document(publicId: \""
                + missing.publicId()
                + "\", resourceType: \"raw\") { state s3 { etag } consistent { consistent reason } }"
                + " c: document(publicId: \""
                + folder
                + "nowhere.pdf\", resourceType: \"raw\") { state cloudinary { etag } consistent { reason } } }");

    assertThat(r.data().path("a").path("consistent").path("reason").asText())
        .startsWith("md5 differs");
    assertThat(r.data().path("a").path("state").asText()).isEqualTo("ABSENT");
    assertThat(r.data().path("b").path("s3").isNull()).isTrue();
    assertThat(r.data().path("b").path("consistent").path("reason").asText())
        .isEqualTo("not in S3");
    assertThat(r.data().path("c").path("state").isNull()).isTrue();
    assertThat(r.data().path("c").path("cloudinary").isNull()).isTrue();
    assertThat(r.data().path("c").path("consistent").path("reason").asText())
        .isEqualTo("in neither store");
    // Three documents, still one ledger statement and one Admin API call.
    assertThat(r.spent().path("ledgerQueries").asInt()).isEqualTo(1);
    assertThat(r.spent().path("cloudinaryAdminApiCalls").asInt()).isEqualTo(1);
  }

  @Test
  void folderOfDocumentsIsBatchedAndPaged() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    List<StoredAsset> docs = seedFolder(30);
    long calls = SHARED.emulator().adminApiCalls();
    String query =
        "query($p: String, $after: String) { documents(prefix: $p, first: 20, after: $after) {"
            + " edges { cursor node { "
            + DOC_FIELDS
            + " } } pageInfo { hasNextPage endCursor } } }";

    GraphqlFixture.Reply first = fx.post(query, Map.of("p", folder), GraphqlFixture.TOKEN);

    JsonNode edges = first.data().path("documents").path("edges");
    assertThat(edges).hasSize(20);
    assertThat(edges.path(0).path("node").path("publicId").asText())
        .isEqualTo(docs.get(0).publicId());
    assertThat(edges.path(0).path("node").path("consistent").path("consistent").asBoolean())
        .isTrue();
    assertThat(first.data().path("documents").path("pageInfo").path("hasNextPage").asBoolean())
        .isTrue();
    // The page's rows are the ledger loader's: no second ledger statement for 20 documents.
    assertThat(first.spent().path("ledgerQueries").asInt()).isEqualTo(1);
    assertThat(first.spent().path("cloudinaryAdminApiCalls").asInt()).isEqualTo(1);
    // The page asks s3 { checksum }, which only a HEAD returns: one HEAD per document, no LIST.
    assertThat(first.spent().path("s3Heads").asInt()).isEqualTo(20);
    assertThat(first.spent().path("s3Lists").asInt()).isZero();
    assertThat(SHARED.emulator().adminApiCalls() - calls).isEqualTo(1);

    String after = first.data().path("documents").path("pageInfo").path("endCursor").asText();
    GraphqlFixture.Reply second =
        fx.post(query, Map.of("p", folder, "after", after), GraphqlFixture.TOKEN);
    JsonNode rest = second.data().path("documents").path("edges");
    assertThat(rest).hasSize(10);
    assertThat(rest.path(9).path("node").path("publicId").asText())
        .isEqualTo(docs.get(29).publicId());
    assertThat(second.data().path("documents").path("pageInfo").path("hasNextPage").asBoolean())
        .isFalse();
    assertThat(SHARED.emulator().adminApiCalls() - calls).isEqualTo(2);
  }

  @Test
  void naiveSwitchSpendsOneCallPerDocument() throws Exception {
    fixture(CostRules.DEFAULTS, false);
    seedFolder(12);
    long calls = SHARED.emulator().adminApiCalls();

    GraphqlFixture.Reply r =
        fx.post(
            "query($p: String) { documents(prefix: $p, first: 12) { edges { node { "
                + DOC_FIELDS
                + " } } } }",
            Map.of("p", folder),
            GraphqlFixture.TOKEN);

    assertThat(r.data().path("documents").path("edges")).hasSize(12);
    assertThat(r.spent().path("cloudinaryAdminApiCalls").asInt()).isEqualTo(12);
    assertThat(r.spent().path("ledgerQueries").asInt()).isEqualTo(1 + 12);
    assertThat(SHARED.emulator().adminApiCalls() - calls).isEqualTo(12);
  }

  @Test
  void stateFilterAndMigrationTotals() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    List<StoredAsset> docs = seedFolder(3);
    GraphqlFixture.Reply r =
        fx.post(
            "query($p: String) { documents(prefix: $p, state: VERIFIED, first: 10) {"
                + " edges { node { publicId state } } }"
                + " migration { total verifiedPercent byState { state count } outboxDepth } }",
            Map.of("p", folder),
            GraphqlFixture.TOKEN);
    JsonNode edges = r.data().path("documents").path("edges");
    assertThat(edges).hasSize(3);
    assertThat(edges.path(2).path("node").path("publicId").asText())
        .isEqualTo(docs.get(2).publicId());
    assertThat(r.data().path("migration").path("total").asLong())
        .isEqualTo(fx.ledger.documents().countByState().values().stream().mapToLong(n -> n).sum());
    assertThat(r.data().path("migration").path("byState")).hasSize(5);
  }

  private List<StoredAsset> seedFolder(int n) throws Exception {
    List<StoredAsset> docs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = String.format("%sdoc-%02d.pdf", folder, i);
      StoredAsset a = fx.seed(name, bytes(name));
      fx.putS3(a, bytes(name));
      docs.add(a);
    }
    return docs;
  }

  @Test
  void setTrafficIsTheAdminApisChangeAndAudited() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    GraphqlFixture.Reply r =
        fx.post(
            "mutation { setTraffic(input: {s3ReadPercent: 40, reason: \"ramp\"}) {"
                + " s3ReadPercent effective { s3ReadPercent } autoRevert { tripped } } }");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.data().path("setTraffic").path("s3ReadPercent").asInt()).isEqualTo(40);
    assertThat(fx.control.current().s3ReadPercent()).isEqualTo(40);
    AuditEvent event = fx.ledger.audit().latest(1).get(0);
    assertThat(event.actor()).isEqualTo(GraphqlFixture.OPERATOR);
    assertThat(event.reason()).isEqualTo("ramp");
    assertThat(event.after()).contains("\"s3ReadPercent\":40");

    GraphqlFixture.Reply bad =
        fx.post("mutation { setTraffic(input: {s3ReadPercent: 400}) { s3ReadPercent } }");
    assertThat(bad.code()).isEqualTo("BAD_USER_INPUT");
    assertThat(bad.message()).contains("s3ReadPercent");
    assertThat(fx.control.current().s3ReadPercent()).isEqualTo(40);
    assertThat(fx.ledger.audit().latest(1).get(0).id()).isEqualTo(event.id());
  }

  @Test
  void resumeTrafficClearsATripAndIsAudited() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    for (int i = 0; i < 3; i++) {
      fx.control.guard().recordS3(true, java.time.Duration.ofMillis(1));
    }
    assertThat(fx.control.state().tripped()).isTrue();
    GraphqlFixture.Reply refused =
        fx.post(
            "mutation { setTraffic(input: {s3ReadPercent: 50, reason: \"now\"}) { s3ReadPercent } }");
    assertThat(refused.code()).isEqualTo("CONFLICT");
    assertThat(refused.data().isNull()).isTrue(); // Traffic! is non-null: data is null
    long audited = fx.ledger.audit().latest(100).size();

    GraphqlFixture.Reply r =
        fx.post("mutation { resumeTraffic(reason: \"fixed\") { autoRevert { tripped } } }");

    assertThat(r.data().path("resumeTraffic").path("autoRevert").path("tripped").asBoolean())
        .isFalse();
    assertThat(fx.control.state().tripped()).isFalse();
    assertThat(fx.ledger.audit().latest(100)).hasSize((int) audited + 1);
    AuditEvent event = fx.ledger.audit().latest(1).get(0);
    assertThat(event.actor()).isEqualTo(GraphqlFixture.OPERATOR);
    assertThat(event.reason()).isEqualTo("fixed");
  }

  @Test
  void auditAndMismatchesArePagedNewestFirst() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    for (int i = 1; i <= 3; i++) {
      fx.control.set(
          io.docshift.traffic.control.TrafficChange.builder().s3ReadPercent(i).build(),
          "t",
          "step " + i);
    }
    GraphqlFixture.Reply r =
        fx.post(
            "{ audit(first: 2) { edges { node { actor reason } } pageInfo { hasNextPage endCursor } }"
                + " mismatches(first: 5) { edges { node { publicId } } } }");
    JsonNode edges = r.data().path("audit").path("edges");
    assertThat(edges).hasSize(2);
    assertThat(edges.path(0).path("node").path("reason").asText()).isEqualTo("step 3");
    assertThat(r.data().path("mismatches").path("edges")).isEmpty();
    GraphqlFixture.Reply next =
        fx.post(
            "query($a: String) { audit(first: 2, after: $a) { edges { node { reason } } } }",
            Map.of("a", r.data().path("audit").path("pageInfo").path("endCursor").asText()),
            GraphqlFixture.TOKEN);
    assertThat(next.data().path("audit").path("edges").path(0).path("node").path("reason").asText())
        .isEqualTo("step 1");
  }

  @Test
  void getServesQueriesButNotMutations() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    GraphqlFixture.Reply r = fx.get("{ traffic { s3ReadPercent writeMode } }");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.data().path("traffic").path("s3ReadPercent").asInt()).isEqualTo(10);
    GraphqlFixture.Reply m = fx.get("mutation { resumeTraffic { s3ReadPercent } }");
    assertThat(m.status()).isEqualTo(405);
    assertThat(fx.ledger.audit().latest(10)).isEmpty();
  }

  @Test
  void introspectionForAuthenticatedCallers() throws Exception {
    fixture(CostRules.DEFAULTS, true);
    GraphqlFixture.Reply r =
        fx.post("{ __schema { queryType { name fields { name args { name type { name } } } } } }");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.data().path("__schema").path("queryType").path("name").asText())
        .isEqualTo("Query");
  }
}
