package io.docshift.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.app.CliHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox runs the proxy: a seeded document is served via its Cloudinary delivery path. */
class SandboxProxyTest {
  private static final Map<String, String> EPHEMERAL = CliHarness.ephemeralSandbox(4);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void theProxyServesASeededDocumentOnlyChangingTheHost() throws Exception {
    List<String> progress = new ArrayList<>();
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, EPHEMERAL, progress::add)) {
      JsonNode json = new ObjectMapper().readTree(dir.resolve("sandbox.json").toFile());
      URI proxy = URI.create(json.at("/proxy/url").asText());
      assertThat(proxy.getPort()).isPositive().isEqualTo(sandbox.manifest().proxyUrl().getPort());
      URI direct = URI.create(sandbox.seeded().exampleUrl());
      URI viaProxy = proxy.resolve(direct.getRawPath());

      HttpResponse<byte[]> fromEmulator = get(direct);
      HttpResponse<byte[]> fromProxy = get(viaProxy);

      assertThat(fromProxy.statusCode()).isEqualTo(200);
      assertThat(fromProxy.body()).isEqualTo(fromEmulator.body());
      assertThat(fromProxy.headers().firstValue("ETag"))
          .isEqualTo(fromEmulator.headers().firstValue("ETag"));
      assertThat(fromProxy.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
      assertThat(Banner.render(sandbox.manifest(), sandbox.seeded()))
          .contains(viaProxy.toString())
          .doesNotContain(proxy + "   (reserved)");
    }
  }

  private static HttpResponse<byte[]> get(URI url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
