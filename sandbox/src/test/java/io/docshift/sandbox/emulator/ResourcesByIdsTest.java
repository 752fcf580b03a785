package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin API lookups by {@code public_ids[]} and {@code asset_ids[]}, and the call counter. */
class ResourcesByIdsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dataDir;
  CloudinaryEmulator emulator;
  StoredAsset a;
  StoredAsset b;

  @BeforeEach
  void start() {
    emulator = CloudinaryEmulator.start(EmulatorConfig.builder().dataDir(dataDir).build());
    a = seed("docs/a.pdf");
    b = seed("docs/b c.pdf");
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  StoredAsset seed(String publicId) {
    return emulator.seed(
        SeedRequest.builder()
            .resourceType("raw")
            .type("upload")
            .publicId(publicId)
            .content(new ByteArrayInputStream(publicId.getBytes(StandardCharsets.UTF_8)))
            .build());
  }

  @Test
  void namedPublicIdsInOneCallUnknownOnesLeftOut() throws Exception {
    long before = emulator.adminApiCalls();
    JsonNode body =
        admin(
            "/resources/raw/upload?"
                + ids("public_ids", List.of(a.publicId(), b.publicId(), "docs/none.pdf")));
    List<String> found = new ArrayList<>();
    body.path("resources").forEach(r -> found.add(r.path("public_id").asText()));
    assertThat(found).containsExactly(a.publicId(), b.publicId());
    assertThat(body.path("resources").path(0).path("etag").asText()).isEqualTo(a.etag());
    assertThat(emulator.adminApiCalls() - before).isEqualTo(1);
  }

  @Test
  void byAssetIds() throws Exception {
    JsonNode body = admin("/resources/by_asset_ids?" + ids("asset_ids", List.of(b.assetId())));
    assertThat(body.path("resources")).hasSize(1);
    assertThat(body.path("resources").path(0).path("public_id").asText()).isEqualTo(b.publicId());
  }

  @Test
  void moreThan100IdsIsABadRequest() throws Exception {
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= 100; i++) {
      many.add("docs/" + i);
    }
    HttpResponse<String> r = send("/resources/raw/upload?" + ids("public_ids", many));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Too many public_ids: 101");
  }

  private static String ids(String name, List<String> ids) {
    StringBuilder q = new StringBuilder();
    for (String id : ids) {
      q.append(q.length() == 0 ? "" : "&").append(name).append("%5B%5D=");
      q.append(URLEncoder.encode(id, StandardCharsets.UTF_8));
    }
    return q.toString();
  }

  private JsonNode admin(String path) throws Exception {
    HttpResponse<String> r = send(path);
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String path) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString("123456789012345:emulator-secret".getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v1_1/demo" + path))
            .header("Authorization", "Basic " + basic)
            .GET()
            .build();
    return TestData.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
