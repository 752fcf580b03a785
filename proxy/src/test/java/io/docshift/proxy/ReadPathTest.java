package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.SignatureAlgorithm;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.stores.cloudinary.CloudinarySigner;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP semantics and access parity, identical whichever store serves (weight 0 vs 100). */
class ReadPathTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final CloudinarySigner SIGNER =
      new CloudinarySigner(CloudinaryEmulatorExtension.API_SECRET, SignatureAlgorithm.SHA1);
  static final byte[] PDF = pdf(300_000);
  static ReadPathFixture fx;
  static StoredAsset publicDoc;
  static StoredAsset privateDoc;
  static StoredAsset authDoc;

  @BeforeAll
  static void start() throws Exception {
    fx = new ReadPathFixture(CLD.emulator(), S3.s3(), S3.s3().endpoint(), Map.of());
    publicDoc = fx.seed("raw", "upload", "docs/public-report.pdf", PDF);
    privateDoc = fx.seed("raw", "private", "docs/private-report.pdf", PDF);
    authDoc = fx.seed("raw", "authenticated", "docs/auth-report.pdf", PDF);
    for (StoredAsset a : new StoredAsset[] {publicDoc, privateDoc, authDoc}) {
      fx.copyToS3(a, PDF, "application/pdf");
    }
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  static byte[] pdf(int size) {
    byte[] bytes = new byte[size];
    new Random(42).nextBytes(bytes);
    byte[] head = "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, bytes, 0, head.length);
    return bytes;
  }

  static String backend(int weight) {
    return weight == 0 ? "cloudinary" : "s3";
  }

  static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(fx.url(path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<Void> head(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(fx.url(path))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  static String signed(StoredAsset a) {
    return "/demo/raw/"
        + a.type()
        + "/s--"
        + SIGNER.deliverySignature(a.publicId())
        + "--/v1/"
        + a.publicId();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100})
  void getServesTheOriginalWithIdenticalHeaders(int weight) throws Exception {
    fx.weight(weight);
    HttpResponse<byte[]> r = get("/demo/raw/upload/v1/" + publicDoc.publicId());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(PDF);
    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue(backend(weight));
    assertThat(r.headers().firstValue("ETag")).hasValue("\"" + publicDoc.etag() + "\"");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/pdf");
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(PDF.length);
    assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=2592000");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    HttpResponse<byte[]> direct =
        HTTP.send(
            HttpRequest.newBuilder(
                    CLD.emulator()
                        .deliveryUrl()
                        .resolve("/demo/raw/upload/v1/" + publicDoc.publicId()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.headers().firstValue("Last-Modified"))
        .isEqualTo(direct.headers().firstValue("Last-Modified"));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100})
  void aSingleRangeGets206AndAnUnsatisfiableOne416(int weight) throws Exception {
    fx.weight(weight);
    String path = "/demo/raw/upload/v1/" + publicDoc.publicId();
    HttpResponse<byte[]> part = get(path, "Range", "bytes=100-199");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(PDF, 100, 200));
    assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 100-199/" + PDF.length);
    assertThat(part.headers().firstValue("X-DocShift-Backend")).hasValue(backend(weight));
    HttpResponse<byte[]> suffix = get(path, "Range", "bytes=-10");
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(PDF, PDF.length - 10, PDF.length));
    HttpResponse<byte[]> beyond = get(path, "Range", "bytes=" + PDF.length + "-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + PDF.length);
    assertThat(beyond.headers().firstValue("X-DocShift-Backend")).hasValue(backend(weight));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100})
  void conditionalRequestsGet304(int weight) throws Exception {
    fx.weight(weight);
    String path = "/demo/raw/upload/v1/" + publicDoc.publicId();
    String etag = "\"" + publicDoc.etag() + "\"";
    HttpResponse<byte[]> inm = get(path, "If-None-Match", etag);
    assertThat(inm.statusCode()).isEqualTo(304);
    assertThat(inm.body()).isEmpty();
    assertThat(inm.headers().firstValue("ETag")).hasValue(etag);
    assertThat(inm.headers().firstValue("X-DocShift-Backend")).hasValue(backend(weight));
    HttpResponse<byte[]> other = get(path, "If-None-Match", "\"0123\"");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body()).isEqualTo(PDF);
    String lastModified = other.headers().firstValue("Last-Modified").orElseThrow();
    assertThat(get(path, "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
    assertThat(get(path, "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT").statusCode())
        .isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100})
  void headAnswersLikeGetWithoutBody(int weight) throws Exception {
    fx.weight(weight);
    HttpResponse<Void> r = head("/demo/raw/upload/v1/" + publicDoc.publicId());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(PDF.length);
    assertThat(r.headers().firstValue("ETag")).hasValue("\"" + publicDoc.etag() + "\"");
    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue(backend(weight));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100})
  void protectedOriginalsNeedAValidSignatureOnBothStores(int weight) throws Exception {
    fx.weight(weight);
    for (StoredAsset a : new StoredAsset[] {privateDoc, authDoc}) {
      HttpResponse<byte[]> unsigned = get("/demo/raw/" + a.type() + "/v1/" + a.publicId());
      assertThat(unsigned.statusCode()).isEqualTo(401);
      assertThat(unsigned.headers().firstValue("X-Cld-Error"))
          .hasValue("Signature required for " + a.type() + " resources");
      assertThat(unsigned.body()).isEmpty();
      HttpResponse<byte[]> forged =
          get("/demo/raw/" + a.type() + "/s--AAAAAAAA--/v1/" + a.publicId());
      assertThat(forged.statusCode()).isEqualTo(401);
      assertThat(forged.headers().firstValue("X-Cld-Error")).hasValue("Invalid signature");
      HttpResponse<byte[]> ok = get(signed(a));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo(PDF);
      assertThat(ok.headers().firstValue("X-DocShift-Backend")).hasValue(backend(weight));
      assertThat(ok.headers().firstValue("Cache-Control")).hasValue("private, max-age=2592000");
    }
  }

  @Test
  void transformationsPassThroughToCloudinaryUnchanged() throws Exception {
    fx.weight(100);
    StoredAsset image = fx.seed("image", "upload", "scans/badge", png());
    HttpResponse<byte[]> r = get("/demo/image/upload/w_100,h_100/v1/scans/badge.png");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
    assertThat(r.headers().firstValue("X-Emulator-Transformation")).hasValue("ignored");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.body()).hasSize((int) image.bytes());
    HttpResponse<byte[]> missing = get("/demo/image/upload/w_100/v1/scans/none.png");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("X-Cld-Error")).hasValue("Resource not found");
  }

  @Test
  void aMissingDocumentIs404FromBothPaths() throws Exception {
    fx.weight(100);
    HttpResponse<byte[]> r = get("/demo/raw/upload/v1/docs/never-uploaded.pdf");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("X-Cld-Error")).hasValue("Resource not found");
  }

  @Test
  void privateCdnPathsWithoutTheCloudSegmentWork() throws Exception {
    fx.weight(100);
    HttpResponse<byte[]> r = get("/raw/upload/v1/" + publicDoc.publicId());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(PDF);
  }

  static byte[] png() throws Exception {
    java.awt.image.BufferedImage img =
        new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(img, "png", out);
    return out.toByteArray();
  }
}
