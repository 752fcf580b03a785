package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudinary.Cloudinary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.app.CliHarness;
import io.docshift.app.sandbox.SandboxRunner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The Upload API through the sandbox's proxy, driven by the unmodified Cloudinary Java SDK (http5
 * 2.x) whose only change is {@code upload_prefix}: every write mode lands the same bytes in the
 * stores it should, destroy removes from both, bad signatures write nothing.
 */
class UploadThroughProxyTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  private SandboxRunner start(String writeMode) throws Exception {
    Map<String, String> overrides = new HashMap<>(CliHarness.ephemeralSandbox(0));
    overrides.put("traffic.writeMode", writeMode);
    List<String> progress = new ArrayList<>();
    return SandboxRunner.start(dir, null, overrides, progress::add);
  }

  private static JsonNode manifest(SandboxRunner sandbox) throws Exception {
    return new ObjectMapper()
        .readTree(sandbox.configFile().resolveSibling("sandbox.json").toFile());
  }

  private Cloudinary sdk(JsonNode json) {
    return new Cloudinary(json.get("cloudinaryUrl").asText());
  }

  private S3Client s3(JsonNode json) {
    return S3Client.builder()
        .endpointOverride(URI.create(json.at("/s3/endpoint").asText()))
        .region(Region.of(json.at("/s3/region").asText()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    json.at("/s3/accessKey").asText(), json.at("/s3/secretKey").asText())))
        .build();
  }

  private static byte[] pdf(int size, long seed) {
    byte[] body = new byte[size];
    new Random(seed).nextBytes(body);
    byte[] head = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, body, 0, head.length);
    return body;
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private byte[] s3Object(JsonNode json, String key) {
    try (S3Client s3 = s3(json)) {
      ResponseBytes<GetObjectResponse> object =
          s3.getObjectAsBytes(
              b ->
                  b.bucket(json.at("/s3/bucket").asText())
                      .key(json.at("/s3/keyPrefix").asText() + key));
      return object.asByteArray();
    }
  }

  private boolean inS3(JsonNode json, String key) {
    try {
      s3Object(json, key);
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  private byte[] fromCloudinary(JsonNode json, String path) throws Exception {
    URI url = URI.create(json.at("/cloudinary/deliveryUrl").asText() + path);
    HttpResponse<byte[]> r =
        HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    return r.statusCode() == 200 ? r.body() : null;
  }

  @Test
  void dualCloudinaryPrimaryTeesAnSdkUploadIntoBothStores() throws Exception {
    try (SandboxRunner sandbox = start("DUAL_CLOUDINARY_PRIMARY")) {
      JsonNode json = manifest(sandbox);
      byte[] body = pdf(300_000, 1);
      Map<?, ?> result =
          sdk(json)
              .uploader()
              .upload(body, Map.of("public_id", "certs/nurse-1", "resource_type", "image"));

      assertThat(result.get("public_id")).isEqualTo("certs/nurse-1");
      assertThat(result.get("etag")).isEqualTo(md5(body));
      String cloud = json.at("/cloudinary/cloudName").asText();
      assertThat(s3Object(json, cloud + "/image/upload/certs/nurse-1.pdf")).isEqualTo(body);
      assertThat(fromCloudinary(json, "/image/upload/certs/nurse-1.pdf")).isEqualTo(body);
    }
  }

  @Test
  void uploadLargeInChunksEndsWholeInBothStores() throws Exception {
    try (SandboxRunner sandbox = start("DUAL_CLOUDINARY_PRIMARY")) {
      JsonNode json = manifest(sandbox);
      byte[] body = pdf(12 * 1024 * 1024, 2);
      Path file = dir.resolve("big.pdf");
      java.nio.file.Files.write(file, body);
      Map<?, ?> result =
          sdk(json)
              .uploader()
              .uploadLarge(
                  file.toFile(),
                  new HashMap<>(
                      Map.of(
                          "public_id",
                          "scans/big",
                          "resource_type",
                          "raw",
                          "chunk_size",
                          5_300_000)));

      assertThat(result.get("etag")).isEqualTo(md5(body));
      String cloud = json.at("/cloudinary/cloudName").asText();
      assertThat(s3Object(json, cloud + "/raw/upload/scans/big")).isEqualTo(body);
    }
  }

  @Test
  void s3OnlyStoresInS3AloneAndAnswersLikeCloudinary() throws Exception {
    try (SandboxRunner sandbox = start("S3_ONLY")) {
      JsonNode json = manifest(sandbox);
      byte[] body = pdf(50_000, 3);
      Map<?, ?> result =
          sdk(json).uploader().upload(body, Map.of("public_id", "only/s3", "resource_type", "raw"));

      assertThat(result.get("etag")).isEqualTo(md5(body));
      assertThat(result.get("url").toString()).contains("/raw/upload/v");
      String cloud = json.at("/cloudinary/cloudName").asText();
      assertThat(s3Object(json, cloud + "/raw/upload/only/s3")).isEqualTo(body);
      assertThat(fromCloudinary(json, "/raw/upload/only/s3")).isNull();
    }
  }

  @Test
  void dualS3PrimaryWritesBothAndDestroyRemovesFromBoth() throws Exception {
    try (SandboxRunner sandbox = start("DUAL_S3_PRIMARY")) {
      JsonNode json = manifest(sandbox);
      byte[] body = pdf(80_000, 4);
      Cloudinary sdk = sdk(json);
      sdk.uploader().upload(body, Map.of("public_id", "both/doc", "resource_type", "raw"));
      String cloud = json.at("/cloudinary/cloudName").asText();
      assertThat(s3Object(json, cloud + "/raw/upload/both/doc")).isEqualTo(body);
      assertThat(fromCloudinary(json, "/raw/upload/both/doc")).isEqualTo(body);

      Map<?, ?> destroyed = sdk.uploader().destroy("both/doc", Map.of("resource_type", "raw"));

      assertThat(destroyed.get("result")).isEqualTo("ok");
      assertThat(inS3(json, cloud + "/raw/upload/both/doc")).isFalse();
      assertThat(fromCloudinary(json, "/raw/upload/both/doc")).isNull();
    }
  }

  @Test
  void aBadSignatureIsRefusedAndNothingIsWritten() throws Exception {
    try (SandboxRunner sandbox = start("DUAL_CLOUDINARY_PRIMARY")) {
      JsonNode json = manifest(sandbox);
      String url = json.get("cloudinaryUrl").asText().replaceFirst(":([^:@/]+)@", ":wrong-secret@");
      byte[] body = pdf(10_000, 5);

      assertThatThrownBy(
              () ->
                  new Cloudinary(url)
                      .uploader()
                      .upload(body, Map.of("public_id", "bad/sig", "resource_type", "raw")))
          .hasMessageContaining("Invalid Signature");
      String cloud = json.at("/cloudinary/cloudName").asText();
      assertThat(inS3(json, cloud + "/raw/upload/bad/sig")).isFalse();
      assertThat(fromCloudinary(json, "/raw/upload/bad/sig")).isNull();
    }
  }
}
