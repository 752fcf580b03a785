package io.docshift.proxy.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.traffic.control.TrafficChange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Relay paging both ways ({@code first}/{@code after}, {@code last}/{@code before}), the audit
 * filter, and the connection rules for {@code last}: refused before anything runs, like {@code
 * first}.
 */
class GraphqlPagingTest {
  @RegisterExtension static final GraphqlServers SHARED = new GraphqlServers();

  static final String PAGE =
      " edges { cursor node { publicId } }"
          + " pageInfo { hasNextPage hasPreviousPage startCursor endCursor }";

  GraphqlFixture fx;

  @BeforeEach
  void start() {
    fx = new GraphqlFixture(SHARED.emulator(), SHARED.s3().endpoint(), CostRules.DEFAULTS, true);
  }

  @AfterEach
  void close() {
    fx.close();
  }

  private List<String> ids(JsonNode connection) {
    List<String> ids = new ArrayList<>();
    connection.path("edges").forEach(e -> ids.add(e.path("node").path("publicId").asText()));
    return ids;
  }

  private JsonNode documents(String args, Map<String, Object> variables) throws Exception {
    GraphqlFixture.Reply r =
        fx.post(
            "query"
                + (args.contains("$b") ? "($b: String)" : args.contains("$a") ? "($a: String)" : "")
                + " { documents(prefix: \"pg/\", "
                + args
                + ") {"
                + PAGE
                + " } }",
            variables,
            GraphqlFixture.TOKEN);
    assertThat(r.status()).isEqualTo(200);
    return r.data().path("documents");
  }

  @Test
  void lastAndBeforeWalkBackThroughTheSamePages() throws Exception {
    for (int i = 1; i <= 5; i++) {
      fx.seed("pg/" + i, ("%PDF " + i).getBytes(StandardCharsets.UTF_8));
    }
    JsonNode tail = documents("last: 2", Map.of());
    assertThat(ids(tail)).containsExactly("pg/4", "pg/5");
    assertThat(tail.path("pageInfo").path("hasPreviousPage").asBoolean()).isTrue();
    assertThat(tail.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();

    String start = tail.path("pageInfo").path("startCursor").asText();
    JsonNode middle = documents("last: 2, before: $b", Map.of("b", start));
    assertThat(ids(middle)).containsExactly("pg/2", "pg/3");
    assertThat(middle.path("pageInfo").path("hasPreviousPage").asBoolean()).isTrue();
    assertThat(middle.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();

    JsonNode head =
        documents(
            "last: 2, before: $b",
            Map.of("b", middle.path("pageInfo").path("startCursor").asText()));
    assertThat(ids(head)).containsExactly("pg/1");
    assertThat(head.path("pageInfo").path("hasPreviousPage").asBoolean()).isFalse();

    // Forward from the same cursor gives what follows it.
    JsonNode forward =
        documents(
            "first: 10, after: $a",
            Map.of("a", middle.path("pageInfo").path("endCursor").asText()));
    assertThat(ids(forward)).containsExactly("pg/4", "pg/5");
    assertThat(forward.path("pageInfo").path("hasPreviousPage").asBoolean()).isTrue();
    assertThat(forward.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();
  }

  @Test
  void auditFiltersByActorAndActionAndPagesBackToTheOldest() throws Exception {
    for (int i = 1; i <= 3; i++) {
      fx.control.set(TrafficChange.builder().s3ReadPercent(i).build(), "carol", "step " + i);
    }
    fx.control.set(TrafficChange.builder().s3ReadPercent(9).build(), "dave", "dave's");
    fx.ledger
        .trails()
        .recordAction(
            "carol",
            "repair",
            EmulatedAssets.ledgerKey(fx.seed("pg/x", "%PDF x".getBytes(StandardCharsets.UTF_8))),
            "{}",
            "fix");

    GraphqlFixture.Reply r =
        fx.post(
            "{ carol: audit(first: 10, actor: \"carol\", action: \"traffic.\") {"
                + " edges { node { actor action reason } } }"
                + " oldest: audit(last: 2) { edges { node { reason } } pageInfo { hasPreviousPage } }"
                + " repairs: audit(first: 5, action: \"document.\") { edges { node { actor after } } } }");

    List<String> reasons = new ArrayList<>();
    r.data()
        .path("carol")
        .path("edges")
        .forEach(e -> reasons.add(e.path("node").path("reason").asText()));
    assertThat(reasons).containsExactly("step 3", "step 2", "step 1");
    JsonNode oldest = r.data().path("oldest");
    assertThat(oldest.path("edges").path(0).path("node").path("reason").asText())
        .isEqualTo("step 2");
    assertThat(oldest.path("edges").path(1).path("node").path("reason").asText())
        .isEqualTo("step 1");
    // Newest first: the oldest page is the last one, with newer events before it.
    assertThat(oldest.path("pageInfo").path("hasPreviousPage").asBoolean()).isTrue();
    assertThat(r.data().path("repairs").path("edges")).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "last: 101",
        "last: 0",
        "first: 5, last: 5",
        "first: 5, before: \"x\"",
        "last: 5, after: \"x\""
      })
  void badLastIsRefusedBeforeAnythingRuns(String args) throws Exception {
    long calls = SHARED.emulator().adminApiCalls();
    GraphqlFixture.Reply r =
        fx.post("{ documents(" + args + ") { edges { node { cloudinary { etag } } } } }");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("CONNECTION_LIMIT");
    assertThat(r.message()).startsWith("documents: ");
    assertThat(SHARED.emulator().adminApiCalls()).isEqualTo(calls);
  }

  @Test
  void lastCostsLikeFirst() throws Exception {
    GraphqlFixture.Reply r =
        fx.post("{ documents(last: 7) { edges { node { cloudinary { etag } } } } }");
    assertThat(r.cost().path("requestedQueryCost").asLong()).isEqualTo(1 + 7 * 3);
  }
}
