package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CDN behaviour over plain HTTP: headers, ranges, conditional requests, HEAD, malformed paths. */
class DeliveryHttpTest {
  private static final byte[] BODY = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

  @TempDir static Path dataDir;
  static CloudinaryEmulator emulator;
  static StoredAsset asset;
  static String url;

  @BeforeAll
  static void start() {
    emulator = CloudinaryEmulator.start(EmulatorConfig.builder().dataDir(dataDir).build());
    asset =
        emulator.seed(
            SeedRequest.builder()
                .resourceType("raw")
                .publicId("docs/notes.txt")
                .content(new ByteArrayInputStream(BODY))
                .build());
    url = asset.secureUrl().toString();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @Test
  void servesTheOriginalWithCdnHeaders() throws Exception {
    HttpResponse<byte[]> r = TestData.get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(BODY);
    assertThat(r.headers().firstValue("ETag")).hasValue("\"" + TestData.md5(BODY) + "\"");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(r.headers().firstValue("Content-Length")).hasValue("20");
    assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=2592000");
    assertThat(r.headers().firstValue("Server")).hasValue("Cloudinary");
    assertThat(r.headers().firstValue("Last-Modified")).isPresent();
    assertThat(asset.etag()).isEqualTo(TestData.md5(BODY));
  }

  @Test
  void servesWithoutTheCloudSegmentAndIgnoresTheVersion() throws Exception {
    String base = emulator.baseUrl().toString();
    assertThat(TestData.get(base + "/raw/upload/docs/notes.txt").body()).isEqualTo(BODY);
    assertThat(TestData.get(base + "/demo/raw/upload/v1/docs/notes.txt").body()).isEqualTo(BODY);
  }

  @Test
  void singleRangeIsPartialContent() throws Exception {
    HttpResponse<byte[]> r = TestData.get(url, "Range", "bytes=5-9");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(BODY, 5, 10));
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes 5-9/20");
    HttpResponse<byte[]> suffix = TestData.get(url, "Range", "bytes=-3");
    assertThat(suffix.body()).isEqualTo("hij".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void unsatisfiableRangeIs416() throws Exception {
    HttpResponse<byte[]> r = TestData.get(url, "Range", "bytes=20-30");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */20");
  }

  @Test
  void conditionalRequestsAreNotModified() throws Exception {
    HttpResponse<byte[]> first = TestData.get(url);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
    HttpResponse<byte[]> byEtag = TestData.get(url, "If-None-Match", etag);
    assertThat(byEtag.statusCode()).isEqualTo(304);
    assertThat(byEtag.body()).isEmpty();
    assertThat(TestData.get(url, "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
    assertThat(TestData.get(url, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
  }

  @Test
  void headHasHeadersButNoBody() throws Exception {
    HttpResponse<byte[]> r =
        TestData.HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Length")).hasValue("20");
    assertThat(r.body()).isEmpty();
  }

  @Test
  void unknownAssetIs404WithReason() throws Exception {
    HttpResponse<byte[]> r =
        TestData.get(emulator.deliveryUrl() + "/raw/upload/v1/docs/missing.txt");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("X-Cld-Error")).hasValue("Resource not found");
  }

  @Test
  void transformationsAndOtherFormatsServeTheOriginalFlagged() throws Exception {
    StoredAsset image =
        emulator.seed(
            SeedRequest.builder()
                .publicId("pics/dot")
                .content(new ByteArrayInputStream(TestData.png(1, 1)))
                .build());
    String base = emulator.deliveryUrl() + "/image/upload/";
    HttpResponse<byte[]> transformed =
        TestData.get(base + "w_100,c_fill/v" + image.version() + "/pics/dot.png");
    assertThat(transformed.statusCode()).isEqualTo(200);
    assertThat(transformed.headers().firstValue("X-Emulator-Transformation")).hasValue("ignored");
    HttpResponse<byte[]> noVersion = TestData.get(base + "w_100/pics/dot.jpg");
    assertThat(noVersion.statusCode()).isEqualTo(200);
    assertThat(noVersion.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(
            TestData.get(image.secureUrl().toString())
                .headers()
                .firstValue("X-Emulator-Transformation"))
        .isEmpty();
  }

  @Test
  void traversalIsRefused() throws Exception {
    String base = emulator.baseUrl().toString();
    assertThat(TestData.get(base + "/demo/raw/upload/../../etc/passwd").statusCode())
        .isEqualTo(400);
    assertThat(TestData.get(base + "/demo/raw/upload/%2e%2e/%2E%2E/etc/passwd").statusCode())
        .isEqualTo(400);
    assertThat(TestData.get(base + "/demo/raw/upload/docs%2Fnotes.txt").statusCode())
        .isEqualTo(400);
    assertThat(TestData.get(base + "/demo/raw/upload/a%00b").statusCode()).isEqualTo(400);
    assertThat(TestData.get(url).statusCode()).isEqualTo(200);
  }
}
