package io.docshift.proxy.graphql;

import static io.docshift.proxy.graphql.GraphqlApiTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.store.PutRequest;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * S3 metadata of a page of documents from {@code ListObjectsV2} instead of one HEAD each: the
 * number of LISTs and HEADs per request is asserted, and the listed answers against what HEADs say,
 * on S3Proxy.
 */
class GraphqlS3ListingTest {
  @RegisterExtension static final GraphqlServers SHARED = new GraphqlServers();

  static final String LISTED =
      "publicId s3 { size etag lastModified } consistent { consistent reason }";
  static final String HEADED = "publicId s3 { size etag lastModified checksum version }";

  final String folder = "l" + UUID.randomUUID().toString().substring(0, 8) + "/";
  GraphqlFixture fx;

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  GraphqlFixture.Reply page(String fields, int first) throws Exception {
    return fx.post(
        "query($p: String) { documents(prefix: $p, first: "
            + first
            + ") { edges { node { "
            + fields
            + " } } } }",
        Map.of("p", folder),
        GraphqlFixture.TOKEN);
  }

  @Test
  void aFolderPageIsOneListAndAgreesWithHeads() throws Exception {
    fx = new GraphqlFixture(SHARED.emulator(), SHARED.s3().endpoint(), CostRules.DEFAULTS, true);
    for (int i = 0; i < 18; i++) {
      String name = String.format("%sdoc-%02d.pdf", folder, i);
      fx.putS3(fx.seed(name, bytes(name)), bytes(name));
    }
    StoredAsset tampered = fx.seed(folder + "doc-18.pdf", bytes("cloudinary"));
    fx.putS3Only(tampered, bytes("tampered"));
    fx.seed(folder + "doc-19.pdf", bytes("not copied yet"));

    GraphqlFixture.Reply listed = page(LISTED, 20);

    assertThat(listed.spent().path("s3Lists").asInt()).isEqualTo(1);
    assertThat(listed.spent().path("s3Heads").asInt()).isZero();
    assertThat(listed.spent().path("ledgerQueries").asInt()).isEqualTo(1);
    JsonNode nodes = nodes(listed);
    assertThat(nodes).hasSize(20);
    assertThat(nodes.get(0).path("consistent").path("consistent").asBoolean()).isTrue();
    assertThat(nodes.get(18).path("consistent").path("reason").asText()).startsWith("md5 differs");
    assertThat(nodes.get(19).path("s3").isNull()).isTrue();
    assertThat(nodes.get(19).path("consistent").path("reason").asText()).isEqualTo("not in S3");
    // The listed cost: per-document weights, plus the one LIST actually made.
    assertThat(listed.cost().path("requestedQueryCost").asLong())
        .isEqualTo(1 + 20 * (2 + 5) + 2 * CostRules.S3_LIST * S3Listings.MAX_LISTS);
    assertThat(listed.cost().path("actualQueryCost").asLong())
        .isEqualTo(1 + 20 * (2 + 5) + CostRules.S3_LIST);

    GraphqlFixture.Reply headed = page(HEADED, 20);
    assertThat(headed.spent().path("s3Heads").asInt()).isEqualTo(20);
    assertThat(headed.spent().path("s3Lists").asInt()).isZero();
    // Nothing will be listed, so the static cost has no LISTs in it.
    assertThat(headed.cost().path("requestedQueryCost").asLong()).isEqualTo(1 + 20 * 2);
    JsonNode byHead = nodes(headed);
    for (int i = 0; i < 20; i++) {
      JsonNode l = nodes.get(i).path("s3");
      JsonNode h = byHead.get(i).path("s3");
      assertThat(l.path("size")).isEqualTo(h.path("size"));
      assertThat(l.path("etag")).isEqualTo(h.path("etag"));
      if (i < 19) {
        // A HEAD's Last-Modified has whole seconds; a listing may have milliseconds.
        assertThat(seconds(l.path("lastModified"))).isEqualTo(seconds(h.path("lastModified")));
      }
    }
    assertThat(byHead.get(0).path("s3").path("checksum").asText()).hasSize(64);
  }

  @Test
  void scatteredKeysAreBoundedListsThenHeads() throws Exception {
    fx = new GraphqlFixture(SHARED.emulator(), SHARED.s3().endpoint(), CostRules.DEFAULTS, true);
    List<StoredAsset> docs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String name = folder + "doc-" + i + "-a.pdf";
      StoredAsset a = fx.seed(name, bytes(name));
      fx.putS3(a, bytes(name));
      docs.add(a);
      // Twelve objects the ledger does not know sort between this document and the next: more
      // than one LIST of this small a page (ten keys) reaches.
      for (int j = 0; j < 12; j++) {
        putUnknown(folder + "doc-" + i + "-b" + String.format("%02d", j) + ".pdf");
      }
    }

    GraphqlFixture.Reply r = page(LISTED, 3);

    // Each LIST starts at the next unanswered document; after MAX_LISTS, the rest is HEADed.
    assertThat(r.spent().path("s3Lists").asInt()).isEqualTo(S3Listings.MAX_LISTS);
    assertThat(r.spent().path("s3Heads").asInt()).isEqualTo(1);
    JsonNode nodes = nodes(r);
    for (int i = 0; i < 3; i++) {
      assertThat(nodes.get(i).path("publicId").asText()).isEqualTo(docs.get(i).publicId());
      assertThat(nodes.get(i).path("s3").path("etag").asText()).isEqualTo(docs.get(i).etag());
      assertThat(nodes.get(i).path("consistent").path("consistent").asBoolean()).isTrue();
    }
  }

  @Test
  void fewDocumentsAndTheNaiveSwitchAreHeaded() throws Exception {
    fx = new GraphqlFixture(SHARED.emulator(), SHARED.s3().endpoint(), CostRules.DEFAULTS, false);
    for (int i = 0; i < 4; i++) {
      String name = folder + "doc-" + i + ".pdf";
      fx.putS3(fx.seed(name, bytes(name)), bytes(name));
    }

    GraphqlFixture.Reply naive = page(LISTED, 4);
    assertThat(naive.spent().path("s3Heads").asInt()).isEqualTo(4);
    assertThat(naive.spent().path("s3Lists").asInt()).isZero();
    assertThat(naive.spent().path("ledgerQueries").asInt()).isEqualTo(1 + 4);
    fx.close();

    fx = new GraphqlFixture(SHARED.emulator(), SHARED.s3().endpoint(), CostRules.DEFAULTS, true);
    fx.putS3(fx.seed(folder + "doc-0.pdf", bytes("x")), bytes("x"));
    fx.putS3(fx.seed(folder + "doc-1.pdf", bytes("y")), bytes("y"));
    GraphqlFixture.Reply two = page(LISTED, 2);
    assertThat(two.spent().path("s3Heads").asInt()).isEqualTo(2);
    assertThat(two.spent().path("s3Lists").asInt()).isZero();
    assertThat(two.cost().path("requestedQueryCost").asLong()).isEqualTo(1 + 2 * (2 + 5));
  }

  @Test
  void keysSortInS3sOrder() {
    // UTF-8 byte order: U+FF61 sorts before U+1F600 although Java's UTF-16 order says otherwise.
    assertThat(S3Listings.s3Order("a\uFF61", "a\uD83D\uDE00")).isNegative();
    assertThat("a\uFF61".compareTo("a\uD83D\uDE00")).isPositive();
    assertThat(S3Listings.s3Order("ab", "abc")).isNegative();
    assertThat(S3Listings.s3Order("abc", "abc")).isZero();
    assertThat(S3Listings.commonPrefix("p/doc-01.pdf", "p/doc-19.pdf")).isEqualTo("p/doc-");
    assertThat(S3Listings.commonPrefix("a\uD83D\uDE00", "a\uD83D\uDE01")).isEqualTo("a");
  }

  private void putUnknown(String publicId) throws Exception {
    byte[] body = bytes(publicId);
    DocumentKey key =
        DocumentKey.of(
            CloudinaryEmulatorExtension.CLOUD_NAME,
            ResourceType.RAW,
            DeliveryType.UPLOAD,
            publicId,
            null);
    fx.s3Writer
        .put(
            key,
            new PutRequest(
                body.length,
                "application/pdf",
                Optional.empty(),
                Optional.empty(),
                OptionalLong.empty(),
                AsyncRequestBody.fromBytes(body)))
        .get(30, TimeUnit.SECONDS);
  }

  private static Instant seconds(JsonNode value) {
    return Instant.parse(value.asText()).truncatedTo(ChronoUnit.SECONDS);
  }

  private static JsonNode nodes(GraphqlFixture.Reply r) {
    List<JsonNode> nodes = new ArrayList<>();
    r.data().path("documents").path("edges").forEach(e -> nodes.add(e.path("node")));
    return GraphqlFixture.JSON.valueToTree(nodes);
  }
}
