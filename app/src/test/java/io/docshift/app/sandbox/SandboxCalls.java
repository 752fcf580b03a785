package io.docshift.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.sandbox.s3.EmbeddedS3;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What the sandbox tests do to a running sandbox: read through the proxy, ask the admin API,
 * restart S3.
 */
final class SandboxCalls {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private SandboxCalls() {}

  /** A seeded public document, addressed through the DocShift proxy. */
  static URI proxyUrl(SandboxRunner sandbox) {
    URI emulator = URI.create(sandbox.seeded().exampleUrl());
    return URI.create(sandbox.manifest().proxyUrl() + emulator.getRawPath());
  }

  static HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Which store served the response ({@code X-DocShift-Backend}). */
  static String backend(HttpResponse<?> response) {
    return response.headers().firstValue("X-DocShift-Backend").orElse("");
  }

  static void awaitBackend(URI doc, String expected) throws Exception {
    String seen = "";
    for (int i = 0; i < 100 && !seen.equals(expected); i++) { // bounded: 5 s at most
      seen = backend(get(doc));
      if (!seen.equals(expected)) {
        Thread.sleep(50);
      }
    }
    assertThat(seen).isEqualTo(expected);
  }

  /** S3 again on its old port and data, after a test stopped it. */
  static EmbeddedS3 restartS3(SandboxRunner sandbox, int port) {
    SandboxManifest m = sandbox.manifest();
    return EmbeddedS3.start(
        m.dataDir().resolve("s3"),
        SandboxRunner.HOST,
        port,
        m.s3Bucket(),
        m.credentials().s3AccessKey(),
        m.credentials().s3SecretKey());
  }

  /** A GET on the admin API with the sandbox's token, as JSON. */
  static JsonNode admin(SandboxRunner sandbox, String path) {
    SandboxManifest m = sandbox.manifest();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(m.adminUrl() + path))
            .header("Authorization", "Bearer " + m.credentials().adminToken())
            .build();
    try {
      return JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
