package io.docshift.proxy.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.sandbox.emulator.StoredAsset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Refusals before anything runs (cost, depth, {@code first}, budget, authentication): each one is
 * checked to have spent no Admin API call and no audit event.
 */
class GraphqlLimitsTest {
  @RegisterExtension static final GraphqlServers SHARED = new GraphqlServers();

  /** A query of cost 9: document 1 + cloudinary 3 + consistent 5. */
  static final String NINE =
      "query($id: String!) { document(publicId: $id, resourceType: \"raw\") {"
          + " cloudinary { etag } consistent { consistent } } }";

  GraphqlFixture fx;
  StoredAsset doc;

  void start(CostRules rules) throws Exception {
    fx = new GraphqlFixture(SHARED.emulator(), SHARED.s3().endpoint(), rules, true);
    byte[] bytes = "%PDF-1.4 limits".getBytes(StandardCharsets.UTF_8);
    doc = fx.seed("limits-" + UUID.randomUUID() + ".pdf", bytes);
    fx.putS3(doc, bytes);
  }

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  GraphqlFixture.Reply refusedWithoutSpending(String query) throws Exception {
    long calls = SHARED.emulator().adminApiCalls();
    int audit = fx.ledger.audit().latest(100).size();
    GraphqlFixture.Reply r = fx.post(query);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().has("data")).isFalse();
    assertThat(SHARED.emulator().adminApiCalls()).isEqualTo(calls);
    assertThat(fx.ledger.audit().latest(100)).hasSize(audit);
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "(first: 101)", "(first: 0)"})
  void connectionsNeedFirstUpTo100(String args) throws Exception {
    start(CostRules.DEFAULTS);
    GraphqlFixture.Reply r =
        refusedWithoutSpending(
            "{ documents" + args + " { edges { node { cloudinary { etag } } } } }");
    assertThat(r.code()).isEqualTo("CONNECTION_LIMIT");
    assertThat(r.message()).startsWith("documents: first is").contains("expected: 1..100");
  }

  @Test
  void overCostIsRefusedNamingCostAndLimit() throws Exception {
    start(CostRules.DEFAULTS);
    // 100 × (1 + 3 + 2 + 5 + 1) + 1, plus the S3 LISTs the s3 and consistent fields may make
    // (2 × 2 × 2), = 1209 fits; 2 × that does not.
    GraphqlFixture.Reply r =
        refusedWithoutSpending(
            "{ a: documents(first: 100) { edges { node { state cloudinary { etag } s3 { etag }"
                + " consistent { consistent } servedFrom } } }"
                + " b: documents(first: 100) { edges { node { state cloudinary { etag } s3 { etag }"
                + " consistent { consistent } servedFrom } } } }");
    assertThat(r.code()).isEqualTo("MAX_COST_EXCEEDED");
    assertThat(r.message()).isEqualTo("query cost 2418 exceeds the limit 1500");
    assertThat(r.cost().path("requestedQueryCost").asLong()).isEqualTo(2418);
  }

  @Test
  void overDepthIsRefusedNamingDepthAndLimit() throws Exception {
    start(new CostRules(1500, 3, 100, 7500, 25));
    GraphqlFixture.Reply r =
        refusedWithoutSpending(
            "{ documents(first: 1) { edges { node { cloudinary { etag } } } } }");
    assertThat(r.code()).isEqualTo("MAX_DEPTH_EXCEEDED");
    assertThat(r.message()).isEqualTo("query depth 5 exceeds the limit 3");
  }

  @Test
  void budgetDrainsAndRefillsWithTheClock() throws Exception {
    start(new CostRules(20, 8, 100, 20, 1.0));
    Map<String, Object> vars = Map.of("id", doc.publicId());

    GraphqlFixture.Reply one = fx.post(NINE, vars, GraphqlFixture.TOKEN);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.cost().path("budget").path("currentlyAvailable").asLong()).isEqualTo(11);
    assertThat(fx.post(NINE, vars, GraphqlFixture.TOKEN).status()).isEqualTo(200);

    long calls = SHARED.emulator().adminApiCalls();
    GraphqlFixture.Reply refused = fx.post(NINE, vars, GraphqlFixture.TOKEN);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.code()).isEqualTo("BUDGET_EXHAUSTED");
    assertThat(refused.message()).startsWith("query cost 9 exceeds the remaining budget 2");
    assertThat(SHARED.emulator().adminApiCalls()).isEqualTo(calls);

    fx.clock.advance(Duration.ofSeconds(7));
    GraphqlFixture.Reply refilled = fx.post(NINE, vars, GraphqlFixture.TOKEN);
    assertThat(refilled.status()).isEqualTo(200);
    assertThat(refilled.cost().path("budget").path("currentlyAvailable").asLong()).isEqualTo(0);
    assertThat(SHARED.emulator().adminApiCalls()).isEqualTo(calls + 1);
  }

  @Test
  void unspentCostIsRefunded() throws Exception {
    start(CostRules.DEFAULTS);
    // Asks for 100 documents' worth, the folder holds none: almost all of it comes back.
    GraphqlFixture.Reply r =
        fx.post(
            "{ documents(prefix: \"nothing-here/\", first: 100) { edges { node { cloudinary { etag } } } } }");
    assertThat(r.cost().path("requestedQueryCost").asLong()).isEqualTo(301);
    assertThat(r.cost().path("actualQueryCost").asLong()).isEqualTo(1);
    assertThat(r.cost().path("budget").path("currentlyAvailable").asLong()).isEqualTo(7499);
    assertThat(r.spent().path("cloudinaryAdminApiCalls").asInt()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "wrong-token"})
  void unauthenticatedCallersAreRefused(String token) throws Exception {
    start(CostRules.DEFAULTS);
    long calls = SHARED.emulator().adminApiCalls();
    GraphqlFixture.Reply r =
        fx.post(NINE, Map.of("id", doc.publicId()), token.isEmpty() ? null : token);
    assertThat(r.status()).isEqualTo(401);
    assertThat(SHARED.emulator().adminApiCalls()).isEqualTo(calls);
    fx.admin.close(); // ends the refusal window: its refusals become one audit row
    assertThat(fx.ledger.audit().latest(1).get(0).action()).isEqualTo("admin.refused");
  }

  @Test
  void syntaxAndValidationErrorsHaveCodes() throws Exception {
    start(CostRules.DEFAULTS);
    assertThat(refusedWithoutSpending("{ document(").code()).isEqualTo("GRAPHQL_PARSE_FAILED");
    assertThat(refusedWithoutSpending("{ nope }").code()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
  }

  /** Used to be answered 503: graphql-java's validator throws for bad-faith introspection. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{ a: __type(name: \"Document\") { fields { name } }"
            + " b: __type(name: \"Query\") { fields { name } } }",
        "{ __schema { types { fields { type { fields { name } } } } } }"
      })
  void introspectionSelectingTypeFieldsTwiceIsA400NotA503(String query) throws Exception {
    start(CostRules.DEFAULTS);
    GraphqlFixture.Reply r = refusedWithoutSpending(query);
    assertThat(r.code()).isEqualTo("INTROSPECTION_LIMIT");
    assertThat(r.message()).contains("not asking for introspection in good faith");
  }
}
