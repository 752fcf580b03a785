package io.docshift.sandbox.emulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudinary.Cloudinary;
import com.cloudinary.api.ApiResponse;
import com.cloudinary.utils.ObjectUtils;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator driven by a real, unmodified Cloudinary Java SDK. Uses only API common to the 1.x
 * ({@code cloudinary-http44}) and 2.x ({@code cloudinary-http5}) lines, so each subclass runs it on
 * its own classpath (see the surefire executions in {@code sandbox/pom.xml}).
 */
abstract class SdkContract extends SdkFixture {
  @Test
  void runsOnTheExpectedSdkLine() throws Exception {
    assertThat(Class.forName(expectedStrategy())).isNotNull();
    assertThatThrownBy(() -> Class.forName(absentStrategy()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void binaryUploadReturnsTheFullResponse(@TempDir Path tmp) throws Exception {
    byte[] png = TestData.png(3, 2);
    Path file = Files.write(tmp.resolve("scan.png"), png);
    Map<?, ?> r =
        cloudinary.uploader().upload(file.toFile(), ObjectUtils.asMap("public_id", "docs/scan"));
    assertThat(r.get("public_id")).isEqualTo("docs/scan");
    assertThat(r.get("format")).isEqualTo("png");
    assertThat(r.get("resource_type")).isEqualTo("image");
    assertThat(r.get("type")).isEqualTo("upload");
    assertThat(r.get("width")).isEqualTo(3);
    assertThat(r.get("height")).isEqualTo(2);
    assertThat(r.get("bytes")).isEqualTo(png.length);
    assertThat(r.get("etag")).isEqualTo(TestData.md5(png));
    assertThat(r.get("original_filename")).isEqualTo("scan");
    assertThat(r.get("asset_id").toString()).hasSize(32);
    long version = ((Number) r.get("version")).longValue();
    assertThat(r.get("signature"))
        .isEqualTo(Signatures.responseSignature("docs/scan", version, SECRET));
    String url = (String) r.get("secure_url");
    assertThat(url)
        .isEqualTo(emulator.deliveryUrl() + "/image/upload/v" + version + "/docs/scan.png");
    assertThat(TestData.get(url).body()).isEqualTo(png);
  }

  @Test
  void dataUriUploadWithAutoResolvesPdfToImage() throws Exception {
    byte[] pdf = TestData.pdf("licence");
    String dataUri = "data:application/pdf;base64," + Base64.getEncoder().encodeToString(pdf);
    Map<?, ?> r =
        cloudinary
            .uploader()
            .upload(dataUri, ObjectUtils.asMap("public_id", "licence", "resource_type", "auto"));
    assertThat(r.get("resource_type")).isEqualTo("image");
    assertThat(r.get("format")).isEqualTo("pdf");
    assertThat(r.get("etag")).isEqualTo(TestData.md5(pdf));
    assertThat(TestData.get((String) r.get("url")).body()).isEqualTo(pdf);
  }

  @Test
  void rawUploadKeepsTheExtensionInThePublicId(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "hello raw");
    Map<?, ?> r =
        cloudinary
            .uploader()
            .upload(
                file.toFile(),
                ObjectUtils.asMap(
                    "resource_type", "raw", "use_filename", true, "unique_filename", false));
    assertThat(r.get("public_id")).isEqualTo("notes.txt");
    assertThat(r.containsKey("format")).isFalse();
    assertThat(TestData.get((String) r.get("secure_url")).body()).isEqualTo("hello raw".getBytes());
  }

  @Test
  void overwriteBumpsTheVersionAndOverwriteFalseKeepsTheOriginal() throws Exception {
    Map<?, ?> first = upload(TestData.pdf("one"), "ow/doc", ObjectUtils.asMap());
    Map<?, ?> second = upload(TestData.pdf("two"), "ow/doc", ObjectUtils.asMap());
    assertThat(second.get("overwritten")).isEqualTo(true);
    assertThat(((Number) second.get("version")).longValue())
        .isGreaterThan(((Number) first.get("version")).longValue());
    assertThat(second.get("asset_id")).isEqualTo(first.get("asset_id"));
    Map<?, ?> third =
        upload(TestData.pdf("three"), "ow/doc", ObjectUtils.asMap("overwrite", false));
    assertThat(third.get("existing")).isEqualTo(true);
    assertThat(third.get("etag")).isEqualTo(TestData.md5(TestData.pdf("two")));
  }

  @Test
  void uploadLargeAssemblesChunksOnDisk(@TempDir Path tmp) throws Exception {
    Path file = TestData.randomFile(tmp.resolve("big.bin"), 30L * 1024 * 1024);
    Map<?, ?> r =
        cloudinary
            .uploader()
            .uploadLarge(
                file.toFile(),
                ObjectUtils.asMap("public_id", "large/big.bin", "resource_type", "raw"),
                8_000_000);
    String md5 = TestData.md5(file);
    assertThat(r.get("bytes")).isEqualTo(30 * 1024 * 1024);
    assertThat(r.get("etag")).isEqualTo(md5);
    assertThat(r.get("done")).isNull();
    HttpResponse<java.io.InputStream> body =
        TestData.HTTP.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create((String) r.get("secure_url")))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(TestData.md5(body.body())).isEqualTo(md5);
  }

  @Test
  void destroyAnswersOkThenNotFound() throws Exception {
    upload(TestData.pdf("bye"), "gone/doc", ObjectUtils.asMap());
    assertThat(cloudinary.uploader().destroy("gone/doc", ObjectUtils.asMap()).get("result"))
        .isEqualTo("ok");
    assertThat(cloudinary.uploader().destroy("gone/doc", ObjectUtils.asMap()).get("result"))
        .isEqualTo("not found");
  }

  @Test
  void adminListPagesWithNextCursor() throws Exception {
    for (int i = 0; i < 7; i++) {
      emulator.seed(
          SeedRequest.builder()
              .resourceType("raw")
              .publicId("page/" + i + ".txt")
              .content(new java.io.ByteArrayInputStream(new byte[] {(byte) i}))
              .build());
    }
    List<Object> ids = new ArrayList<>();
    int pages = 0;
    String cursor = null;
    do {
      Map<?, ?> page = listPage(cursor);
      for (Object resource : (List<?>) page.get("resources")) {
        ids.add(((Map<?, ?>) resource).get("public_id"));
      }
      cursor = (String) page.get("next_cursor");
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(ids)
        .containsExactly(
            "page/0.txt",
            "page/1.txt",
            "page/2.txt",
            "page/3.txt",
            "page/4.txt",
            "page/5.txt",
            "page/6.txt");
  }

  @Test
  void resourceDetailsCarryTheMd5Etag() throws Exception {
    byte[] pdf = TestData.pdf("details");
    Map<?, ?> uploaded = upload(pdf, "details/doc", ObjectUtils.asMap("type", "private"));
    Map<?, ?> details =
        cloudinary.api().resource("details/doc", ObjectUtils.asMap("type", "private"));
    assertThat(details.get("etag")).isEqualTo(TestData.md5(pdf));
    assertThat(details.get("bytes")).isEqualTo(pdf.length);
    assertThat(details.get("version")).isEqualTo(uploaded.get("version"));
    assertThat(details.get("format")).isEqualTo("pdf");
  }

  @Test
  void adminResponsesCarryRateLimits() throws Exception {
    ApiResponse ping = cloudinary.api().ping(ObjectUtils.asMap());
    assertThat(ping.get("status")).isEqualTo("ok");
    assertThat(ping.apiRateLimit().getLimit()).isEqualTo(2000);
    assertThat(ping.apiRateLimit().getRemaining()).isBetween(0L, 1999L);
    assertThat(ping.apiRateLimit().getReset()).isNotNull();
  }

  @Test
  void signedUrlsDeliverPrivateAndAuthenticatedDocuments() throws Exception {
    for (String type : List.of("private", "authenticated")) {
      byte[] pdf = TestData.pdf(type);
      Map<?, ?> r = upload(pdf, "secret/" + type, ObjectUtils.asMap("type", type));
      String signed =
          cloudinary
              .url()
              .type(type)
              .signed(true)
              .resourceType("image")
              .format("pdf")
              .generate("secret/" + type);
      assertThat(TestData.get(signed).body()).isEqualTo(pdf);
      assertThat(TestData.get((String) r.get("secure_url")).body()).isEqualTo(pdf);
      String unsigned =
          cloudinary
              .url()
              .type(type)
              .resourceType("image")
              .format("pdf")
              .generate("secret/" + type);
      assertThat(TestData.get(unsigned).statusCode()).isEqualTo(401);
      HttpResponse<byte[]> forged =
          TestData.get(signed.replaceFirst("s--[^/]+--", "s--AAAAAAAA--"));
      assertThat(forged.statusCode()).isEqualTo(401);
      assertThat(forged.headers().firstValue("X-Cld-Error")).isPresent();
    }
  }

  /**
   * {@code access_mode=authenticated} at upload, then the SDK's way to change it (its {@code
   * update} does not send {@code access_mode}): {@code update_access_mode} by ids, a JSON body from
   * {@code cloudinary-http5}. The unsigned URL of an upload-type asset is refused while it is
   * authenticated and served once it is public again; signed URLs always work.
   */
  @Test
  void accessModeAtUploadAndThroughBulkUpdate() throws Exception {
    byte[] pdf = TestData.pdf("access");
    String publicId = "access/doc";
    Map<?, ?> r = upload(pdf, publicId, ObjectUtils.asMap("access_mode", "authenticated"));
    assertThat(r.get("access_mode")).isEqualTo("authenticated");
    String unsigned = cloudinary.url().resourceType("image").format("pdf").generate(publicId);
    String signed =
        cloudinary.url().signed(true).resourceType("image").format("pdf").generate(publicId);
    HttpResponse<byte[]> refused = TestData.get(unsigned);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("X-Cld-Error")).isPresent();
    assertThat(TestData.get(signed).body()).isEqualTo(pdf);

    Map<?, ?> updated =
        cloudinary
            .api()
            .updateResourcesAccessModeByIds("public", List.of(publicId, "access/none"), Map.of());
    assertThat(updated.get("updated").toString()).contains(publicId).contains("public");
    assertThat(updated.get("failed").toString()).contains("access/none");
    assertThat(cloudinary.api().resource(publicId, ObjectUtils.emptyMap()).get("access_mode"))
        .isEqualTo("public");
    assertThat(TestData.get(unsigned).body()).isEqualTo(pdf);

    cloudinary.api().updateResourcesAccessModeByPrefix("authenticated", "access/", Map.of());
    assertThat(TestData.get(unsigned).statusCode()).isEqualTo(401);
  }

  /** The single-asset {@code update} with a JSON body, as the Java SDK sends Admin API calls. */
  @Test
  void updateOfAccessModeTakesAJsonBody() throws Exception {
    byte[] pdf = TestData.pdf("json-update");
    upload(pdf, "access/json", Map.of());
    String auth = Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(UTF_8));
    HttpResponse<String> r =
        TestData.HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        emulator.baseUrl() + "/v1_1/contract/resources/image/upload/access/json"))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"access_mode\":\"authenticated\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"access_mode\":\"authenticated\"");
    String unsigned = cloudinary.url().resourceType("image").format("pdf").generate("access/json");
    assertThat(TestData.get(unsigned).statusCode()).isEqualTo(401);
  }

  /**
   * Regression: the SDKs sign the percent-encoded source ({@code my%20scan%20%C3%A9.pdf}); the
   * emulator once verified the decoded form and refused their URLs for such ids.
   */
  @Test
  void signedUrlsOfIdsThatNeedEncodingAreAccepted() throws Exception {
    byte[] pdf = TestData.pdf("encoded");
    String publicId = "licences/my scan \u00e9+copy";
    Map<?, ?> r = upload(pdf, publicId, ObjectUtils.asMap("type", "authenticated"));
    String signed =
        cloudinary
            .url()
            .type("authenticated")
            .signed(true)
            .resourceType("image")
            .format("pdf")
            .generate(publicId);
    assertThat(signed).contains("my%20scan%20%C3%A9");
    assertThat(TestData.get(signed).statusCode()).isEqualTo(200);
    assertThat(TestData.get(signed).body()).isEqualTo(pdf);
    assertThat(TestData.get((String) r.get("secure_url")).body()).isEqualTo(pdf);
  }

  @Test
  void privateDownloadStreamsTheOriginal() throws Exception {
    byte[] pdf = TestData.pdf("download");
    upload(pdf, "dl/doc", ObjectUtils.asMap("type", "private"));
    String url =
        cloudinary.privateDownload("dl/doc", "pdf", Map.<String, Object>of("type", "private"));
    assertThat(TestData.get(url).body()).isEqualTo(pdf);
    assertThat(TestData.get(url.replace("signature=", "signature=0")).statusCode()).isEqualTo(401);
  }

  @Test
  void wrongSecretIsAnInvalidSignature() {
    Cloudinary wrong = sdk(KEY, "not-the-secret");
    assertThatThrownBy(
            () ->
                wrong.uploader().upload(TestData.pdf("x"), ObjectUtils.asMap("public_id", "nope")))
        .hasMessageStartingWith("Invalid Signature ")
        .hasMessageContaining("String to sign - 'public_id=nope&timestamp=");
  }

  @Test
  void unknownApiKeyIsRefused() {
    Cloudinary stranger = sdk("999", SECRET);
    assertThatThrownBy(() -> stranger.uploader().upload(TestData.pdf("x"), ObjectUtils.asMap()))
        .hasMessage("Unknown API key 999");
    assertThatThrownBy(() -> stranger.api().ping(ObjectUtils.asMap()))
        .hasMessage("Unknown API key 999")
        .satisfies(
            e -> assertThat(e.getClass().getSimpleName()).isEqualTo("AuthorizationRequired"));
  }

  @Test
  void missingFileIsABadRequest() {
    assertThatThrownBy(() -> cloudinary.uploader().upload(null, ObjectUtils.asMap()))
        .hasMessage("Missing required parameter - file");
  }

  @Test
  void staleTimestampIsRefused(@TempDir Path otherDir) {
    java.time.Clock twoHoursAhead =
        java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(2));
    EmulatorConfig config =
        EmulatorConfig.builder()
            .dataDir(otherDir)
            .cloudName("contract")
            .apiKey(KEY)
            .apiSecret(SECRET)
            .clock(twoHoursAhead)
            .build();
    try (CloudinaryEmulator future = CloudinaryEmulator.start(config)) {
      Cloudinary c =
          new Cloudinary(
              "cloudinary://" + KEY + ":" + SECRET + "@contract?upload_prefix=" + future.baseUrl());
      assertThatThrownBy(() -> c.uploader().upload(TestData.pdf("x"), ObjectUtils.asMap()))
          .hasMessageMatching(
              "Stale request - reported time is \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000 which is more than 1 hour ago");
    }
  }

  private static Map<?, ?> listPage(String cursor) throws Exception {
    return cloudinary
        .api()
        .resources(
            ObjectUtils.asMap(
                "resource_type", "raw",
                "type", "upload",
                "prefix", "page/",
                "max_results", 3,
                "next_cursor", cursor));
  }
}
