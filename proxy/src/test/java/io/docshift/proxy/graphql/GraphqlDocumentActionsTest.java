package io.docshift.proxy.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.core.store.DocumentMeta;
import io.docshift.ledger.AuditEvent;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.EmulatedAssets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code reverify}, {@code repair}, a document's trail ({@code history}, {@code mismatches}, {@code
 * repairs}) and the migration's progress end to end: admin listener, emulator, S3Proxy, H2 ledger
 * (PostgreSQL in {@link GraphqlOnPostgresTest}). Each outcome is checked in both stores and the
 * ledger, not only in the answer.
 */
class GraphqlDocumentActionsTest extends GraphqlCase {
  static final String CHECK =
      "consistent finding detail repaired repair"
          + " document { publicId state s3 { etag } cloudinary { etag } consistent { consistent } }";

  final String folder = "a" + UUID.randomUUID().toString().substring(0, 8) + "/";

  static byte[] bytes(String text) {
    return ("%PDF-1.4\n" + text).getBytes(StandardCharsets.UTF_8);
  }

  /** A verified document whose S3 copy was then replaced behind DocShift's back. */
  StoredAsset tampered(String name) throws Exception {
    StoredAsset a = fx.seed(folder + name, bytes(name));
    fx.putS3(a, bytes(name));
    fx.putS3Only(a, bytes(name + " tampered"));
    return a;
  }

  GraphqlFixture.Reply act(String mutation, String extra, StoredAsset... docs) throws Exception {
    List<Map<String, Object>> refs = new ArrayList<>();
    for (StoredAsset a : docs) {
      refs.add(Map.of("publicId", a.publicId(), "resourceType", "raw"));
    }
    return fx.post(
        "mutation($docs: [DocumentRef!]!) { "
            + mutation
            + "(documents: $docs"
            + extra
            + ") { "
            + CHECK
            + " } }",
        Map.of("docs", refs),
        GraphqlFixture.TOKEN);
  }

  String s3Md5(StoredAsset a) throws Exception {
    DocumentMeta meta = fx.s3Writer.head(GraphqlFixture.s3Key(a)).get(30, TimeUnit.SECONDS);
    return meta.md5Hex().orElseThrow();
  }

  @Test
  void reverifyMarksADifferenceAsMismatchAndAuditsTheOperator() throws Exception {
    StoredAsset bad = tampered("bad.pdf");
    StoredAsset good = fx.seed(folder + "good.pdf", bytes("good"));
    fx.putS3(good, bytes("good"));
    String badMd5 = s3Md5(bad);

    GraphqlFixture.Reply r = act("reverify", ", reason: \"ticket 7\"", bad, good);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("errors").isMissingNode()).isTrue();
    JsonNode first = r.data().path("reverify").path(0);
    assertThat(first.path("consistent").asBoolean(true)).isFalse();
    assertThat(first.path("finding").asText()).isIn("size-differs", "checksum-differs");
    assertThat(first.path("repaired").asBoolean()).isFalse();
    assertThat(first.path("repair").isNull()).isTrue();
    assertThat(first.path("document").path("state").asText()).isEqualTo("MISMATCH");
    JsonNode second = r.data().path("reverify").path(1);
    assertThat(second.path("consistent").asBoolean()).isTrue();
    assertThat(second.path("finding").isNull()).isTrue();
    assertThat(second.path("document").path("state").asText()).isEqualTo("VERIFIED");
    // Ledger: the difference is marked and sampled; S3 and Cloudinary are untouched.
    assertThat(fx.ledger.documents().find(EmulatedAssets.ledgerKey(bad)).orElseThrow().state())
        .isEqualTo(S3State.MISMATCH);
    assertThat(fx.ledger.mismatches().latest(10)).hasSize(1);
    assertThat(s3Md5(bad)).isEqualTo(badMd5);
    assertThat(first.path("document").path("cloudinary").path("etag").asText())
        .isEqualTo(bad.etag());
    // One audit event per document, with the operator, the reason and the outcome.
    List<AuditEvent> audit = fx.ledger.audit().latest(10);
    assertThat(audit).hasSize(2);
    assertThat(audit).allSatisfy(e -> assertThat(e.actor()).isEqualTo(GraphqlFixture.OPERATOR));
    assertThat(audit).allSatisfy(e -> assertThat(e.action()).isEqualTo("document.reverify"));
    assertThat(audit).allSatisfy(e -> assertThat(e.reason()).isEqualTo("ticket 7"));
    assertThat(audit.get(1).before()).isEqualTo(EmulatedAssets.ledgerKey(bad).toString());
    assertThat(audit.get(1).after()).contains("\"consistent\":false");
  }

  @Test
  void repairCopiesAgainAndTheLedgerSaysVerified() throws Exception {
    StoredAsset bad = tampered("repair-me.pdf");

    GraphqlFixture.Reply r = act("repair", "", bad);

    JsonNode result = r.data().path("repair").path(0);
    assertThat(result.path("consistent").asBoolean(true)).isFalse();
    assertThat(result.path("repaired").asBoolean()).isTrue();
    assertThat(result.path("repair").asText()).contains("copied");
    assertThat(result.path("document").path("state").asText()).isEqualTo("VERIFIED");
    assertThat(result.path("document").path("s3").path("etag").asText()).isEqualTo(bad.etag());
    assertThat(result.path("document").path("consistent").path("consistent").asBoolean()).isTrue();
    // Both stores now hold Cloudinary's original; the ledger agrees; the action is audited.
    assertThat(s3Md5(bad)).isEqualTo(bad.etag());
    assertThat(fx.ledger.documents().find(EmulatedAssets.ledgerKey(bad)).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
    AuditEvent event = fx.ledger.audit().latest(1).get(0);
    assertThat(event.action()).isEqualTo("document.repair");
    assertThat(event.actor()).isEqualTo(GraphqlFixture.OPERATOR);
    assertThat(event.after()).contains("\"repaired\":true");
  }

  @Test
  void repairOfADocumentTheLedgerDoesNotKnowUsesTheAdminApi() throws Exception {
    StoredAsset unlisted = fx.seedCloudinaryOnly(folder + "unlisted.pdf", bytes("unlisted"));
    long calls = SHARED.emulator().adminApiCalls();

    GraphqlFixture.Reply r =
        fx.post(
            "mutation($docs: [DocumentRef!]!) { repair(documents: $docs) { finding repaired"
                + " document { publicId } } }",
            Map.of(
                "docs",
                List.of(
                    Map.of("publicId", unlisted.publicId(), "resourceType", "raw"),
                    Map.of("publicId", folder + "nowhere.pdf", "resourceType", "raw"))),
            GraphqlFixture.TOKEN);

    JsonNode results = r.data().path("repair");
    assertThat(results.path(0).path("finding").asText()).isEqualTo("missing-in-s3");
    assertThat(results.path(0).path("repaired").asBoolean()).isTrue();
    assertThat(s3Md5(unlisted)).isEqualTo(unlisted.etag());
    assertThat(fx.ledger.documents().find(EmulatedAssets.ledgerKey(unlisted)).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
    assertThat(results.path(1).path("finding").asText()).isEqualTo("unknown");
    assertThat(results.path(1).path("repaired").asBoolean()).isFalse();
    assertThat(results.path(1).path("document").path("publicId").asText())
        .isEqualTo(folder + "nowhere.pdf");
    // Both ids the ledger lacks were asked of Cloudinary in one Admin API call.
    assertThat(SHARED.emulator().adminApiCalls() - calls).isEqualTo(1);
    assertThat(r.spent().path("cloudinaryAdminApiCalls").asInt()).isEqualTo(1);
    assertThat(fx.ledger.audit().latest(10)).hasSize(2);
  }

  @Test
  void tooManyDocumentsAreRefusedBeforeAnythingRuns() throws Exception {
    List<Map<String, Object>> refs = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      refs.add(Map.of("publicId", folder + i, "resourceType", "raw"));
    }
    long calls = SHARED.emulator().adminApiCalls();
    GraphqlFixture.Reply r =
        fx.post(
            "mutation($docs: [DocumentRef!]!) { repair(documents: $docs) { finding } }",
            Map.of("docs", refs),
            GraphqlFixture.TOKEN);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("CONNECTION_LIMIT");
    assertThat(r.message()).contains("101 documents");
    assertThat(SHARED.emulator().adminApiCalls()).isEqualTo(calls);
    assertThat(fx.ledger.audit().latest(10)).isEmpty();

    GraphqlFixture.Reply none = fx.post("mutation { reverify(documents: []) { finding } }");
    assertThat(none.code()).isEqualTo("CONNECTION_LIMIT");
  }

  @Test
  void mutationCostIsPerDocument() throws Exception {
    StoredAsset a = fx.seed(folder + "cost.pdf", bytes("cost"));
    GraphqlFixture.Reply r =
        fx.post(
            "mutation($docs: [DocumentRef!]!) { reverify(documents: $docs) { finding"
                + " document { cloudinary { etag } } } }",
            Map.of(
                "docs",
                List.of(
                    Map.of("publicId", a.publicId(), "resourceType", "raw"),
                    Map.of("publicId", a.publicId() + "-2", "resourceType", "raw"))),
            GraphqlFixture.TOKEN);
    // reverify 5 per document, cloudinary 3 per document.
    assertThat(r.cost().path("requestedQueryCost").asLong()).isEqualTo(2 * 5 + 2 * 3);
  }

  @Test
  void aDocumentsTrailIsItsMismatchesRepairsAndActions() throws Exception {
    StoredAsset bad = tampered("trail.pdf");
    fx.clock.advance(java.time.Duration.ofSeconds(5));
    act("reverify", "", bad);
    fx.ledger
        .outbox()
        .enqueue(EmulatedAssets.ledgerKey(bad), RepairOperation.PUT, "dual-write failed");

    GraphqlFixture.Reply r =
        fx.post(
            "query($id: String!) { document(publicId: $id, resourceType: \"raw\") {"
                + " history { at kind actor detail } mismatches { source reason s3Md5 }"
                + " repairs { operation reason attempts queuedAt lastError } } }",
            Map.of("id", bad.publicId()),
            GraphqlFixture.TOKEN);

    JsonNode d = r.data().path("document");
    assertThat(d.path("mismatches")).hasSize(1);
    assertThat(d.path("mismatches").path(0).path("source").asText()).isEqualTo("VERIFY");
    assertThat(d.path("repairs")).hasSize(1);
    assertThat(d.path("repairs").path(0).path("operation").asText()).isEqualTo("put");
    assertThat(d.path("repairs").path(0).path("reason").asText()).isEqualTo("dual-write failed");
    List<String> kinds = new ArrayList<>();
    d.path("history").forEach(e -> kinds.add(e.path("kind").asText()));
    assertThat(kinds).contains("listed", "state", "mismatch", "repair-queued", "reverify");
    JsonNode action = findKind(d.path("history"), "reverify");
    assertThat(action.path("actor").asText()).isEqualTo(GraphqlFixture.OPERATOR);
    assertThat(action.path("detail").asText()).contains("consistent");
    // Row, mismatches, repairs and actions: one ledger statement each.
    assertThat(r.spent().path("ledgerQueries").asInt()).isEqualTo(4);
  }

  @Test
  void trailsOfAPageCostOneLedgerStatementPerKind() throws Exception {
    for (int i = 0; i < 12; i++) {
      StoredAsset a = fx.seed(folder + "p" + i + ".pdf", bytes("p" + i));
      fx.ledger.outbox().enqueue(EmulatedAssets.ledgerKey(a), RepairOperation.PUT, "r" + i);
    }
    GraphqlFixture.Reply r =
        fx.post(
            "query($p: String) { documents(prefix: $p, first: 20) { edges { node {"
                + " history { kind } mismatches { reason } repairs { reason } } } } }",
            Map.of("p", folder),
            GraphqlFixture.TOKEN);
    JsonNode edges = r.data().path("documents").path("edges");
    assertThat(edges).hasSize(12);
    edges.forEach(e -> assertThat(e.path("node").path("repairs")).hasSize(1));
    // The page, then mismatches, repairs and actions for all twelve documents at once.
    assertThat(r.spent().path("ledgerQueries").asInt()).isEqualTo(4);
  }

  @Test
  void migrationHasBytesPaceEtaAndFolders() throws Exception {
    String other = "b" + folder.substring(1);
    StoredAsset a1 = fx.seed(folder + "1.pdf", bytes("one"));
    StoredAsset a2 = fx.seed(folder + "2.pdf", bytes("two two"));
    StoredAsset a3 = fx.seed(folder + "3.pdf", bytes("three three three"));
    StoredAsset b1 = fx.seed(other + "1.pdf", bytes("b one"));
    fx.clock.advance(java.time.Duration.ofMinutes(10));
    fx.putS3(a1, bytes("one"));
    fx.putS3(a2, bytes("two two"));
    fx.clock.advance(java.time.Duration.ofSeconds(60));

    GraphqlFixture.Reply r =
        fx.post(
            "{ migration { total bytes bytesVerified ratePerSecond eta etaSeconds"
                + " byState { state count bytes }"
                + " byFolder(first: 1) { folder total verified verifiedPercent bytes } } }");

    JsonNode m = r.data().path("migration");
    assertThat(m.path("total").asLong()).isEqualTo(4);
    assertThat(m.path("bytes").asLong())
        .isEqualTo(a1.bytes() + a2.bytes() + a3.bytes() + b1.bytes());
    assertThat(m.path("bytesVerified").asLong()).isEqualTo(a1.bytes() + a2.bytes());
    // Two verified in the last five minutes; two left: 300 s at that pace.
    assertThat(m.path("ratePerSecond").asDouble()).isEqualTo(2.0 / 300);
    assertThat(m.path("etaSeconds").asDouble())
        .isCloseTo(300.0, org.assertj.core.data.Offset.offset(0.001));
    assertThat(m.path("eta").asText()).isEqualTo(fx.clock.instant().plusSeconds(300).toString());
    JsonNode folders = m.path("byFolder");
    assertThat(folders).hasSize(1);
    assertThat(folders.path(0).path("folder").asText())
        .isEqualTo(folder.substring(0, folder.length() - 1));
    assertThat(folders.path(0).path("total").asLong()).isEqualTo(3);
    assertThat(folders.path(0).path("verified").asLong()).isEqualTo(2);
    assertThat(folders.path(0).path("verifiedPercent").asDouble()).isEqualTo(66.7);
    // Totals (tally + outbox), pace and folders: four ledger statements.
    assertThat(r.spent().path("ledgerQueries").asInt()).isEqualTo(4);

    fx.clock.advance(java.time.Duration.ofMinutes(10));
    JsonNode idle = fx.post("{ migration { ratePerSecond eta } }").data().path("migration");
    assertThat(idle.path("ratePerSecond").asDouble()).isZero();
    assertThat(idle.path("eta").isNull()).isTrue();
  }

  private static JsonNode findKind(JsonNode history, String kind) {
    for (JsonNode e : history) {
      if (e.path("kind").asText().equals(kind)) {
        return e;
      }
    }
    throw new AssertionError("no " + kind + " in " + history);
  }
}
