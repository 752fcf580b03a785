package io.docshift.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudinary.Cloudinary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.app.CliHarness;
import io.docshift.core.config.DocShiftConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The sandbox as a newcomer uses it: everything a client needs comes from sandbox.json. */
class SandboxRunnerTest {
  private static final Map<String, String> EPHEMERAL = CliHarness.ephemeralSandbox(6);

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private final List<String> progress = new ArrayList<>();

  @Test
  void aRealSdkConfiguredFromSandboxJsonUploadsAndFetchesFromTheEmulator() throws Exception {
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, EPHEMERAL, progress::add)) {
      JsonNode json = manifest();
      Cloudinary sdk = sdk(json);
      byte[] pdf = "%PDF-1.4\nsandbox test\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
      Map<?, ?> uploaded =
          sdk.uploader().upload(pdf, Map.of("public_id", "tests/hello", "resource_type", "raw"));

      assertThat(uploaded.get("etag")).isEqualTo(md5(pdf));
      String url = sdk.url().resourceType("raw").generate("tests/hello");
      HttpResponse<byte[]> fetched = get(url);
      assertThat(fetched.statusCode()).isEqualTo(200);
      assertThat(fetched.body()).isEqualTo(pdf);
      assertThat(sandbox.seeded().documents()).isEqualTo(6);
      assertThat(sandbox.seeded().seededNow()).isTrue();
      assertThat(get(sandbox.seeded().exampleUrl()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theAwsSdkReachesTheSandboxBucketWithTheManifestCredentials() throws Exception {
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, EPHEMERAL, progress::add);
        S3Client s3 = s3(manifest())) {
      String bucket = sandbox.manifest().s3Bucket();
      assertThat(manifest().at("/s3/bucket").asText()).isEqualTo(bucket);
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
      s3.putObject(b -> b.bucket(bucket).key("probe"), RequestBody.fromString("ok"));
      assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).hasSize(1);
    }
  }

  @Test
  void sandboxJsonHoldsEveryContractKeyAndOnlyItsOwnerCanReadIt() throws Exception {
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, EPHEMERAL, progress::add)) {
      JsonNode json = manifest();
      for (String path :
          List.of(
              "cloudinary/cloudName",
              "cloudinary/apiKey",
              "cloudinary/apiSecret",
              "cloudinary/apiUrl",
              "cloudinary/deliveryUrl",
              "s3/endpoint",
              "s3/region",
              "s3/bucket",
              "s3/accessKey",
              "s3/secretKey",
              "s3/keyPrefix",
              "proxy/url",
              "admin/url",
              "admin/token",
              "cloudinaryUrl",
              "dataDir")) {
        assertThat(json.at("/" + path).isMissingNode()).as(path).isFalse();
      }
      assertThat(json.path("dataDir").asText()).isEqualTo(sandbox.manifest().dataDir().toString());
      assertThat(json.path("cloudinaryUrl").asText())
          .endsWith("?upload_prefix=" + json.at("/proxy/url").asText());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(manifestFile())))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void theWrittenConfigDescribesTheRunningSandboxForOtherProcesses() throws Exception {
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, EPHEMERAL, progress::add)) {
      JsonNode json = manifest();
      DocShiftConfig config =
          DocShiftConfig.builder().file(dir.resolve(SandboxWiring.CONFIG_FILE)).build();

      assertThat(config.cloudinary().apiUrl().toString())
          .isEqualTo(json.at("/cloudinary/apiUrl").asText());
      assertThat(config.cloudinary().apiSecret())
          .isEqualTo(json.at("/cloudinary/apiSecret").asText());
      assertThat(config.s3().endpoint()).contains(URI.create(json.at("/s3/endpoint").asText()));
      assertThat(config.s3().endpoint()).contains(sandbox.manifest().s3Endpoint());
      assertThat(config.ledger().url()).contains(dir.toString()).contains("AUTO_SERVER=TRUE");
    }
  }

  @Test
  void aRestartOnTheSameDirectoryKeepsCredentialsDocumentsAndDoesNotReseed() throws Exception {
    String secret;
    String example;
    try (SandboxRunner first = SandboxRunner.start(dir, null, EPHEMERAL, progress::add)) {
      secret = first.manifest().credentials().apiSecret();
      example = first.seeded().exampleUrl();
      assertThat(manifest().at("/cloudinary/apiSecret").asText()).isEqualTo(secret);
      sdk(manifest())
          .uploader()
          .upload(
              "kept".getBytes(StandardCharsets.UTF_8),
              Map.of("public_id", "kept.txt", "resource_type", "raw"));
    }
    progress.clear();
    try (SandboxRunner second = SandboxRunner.start(dir, null, EPHEMERAL, progress::add)) {
      assertThat(manifest().at("/cloudinary/apiSecret").asText()).isEqualTo(secret);
      assertThat(second.seeded().seededNow()).isFalse();
      assertThat(second.seeded().documents()).isEqualTo(6);
      assertThat(second.seeded().exampleUrl()).isEqualTo(example);
      assertThat(progress).noneMatch(line -> line.startsWith("seeding"));
      String url = sdk(manifest()).url().resourceType("raw").generate("kept.txt");
      assertThat(new String(get(url).body(), StandardCharsets.UTF_8)).isEqualTo("kept");
    }
  }

  /** Regression: the banner once parsed its {@code <public_id>} placeholder as a URI and died. */
  @Test
  void anEmptySandboxStartsAndItsBannerShowsThePatternThroughTheProxy() {
    Map<String, String> empty = new java.util.HashMap<>(EPHEMERAL);
    empty.put("sandbox.seedCount", "0");
    try (SandboxRunner sandbox = SandboxRunner.start(dir, null, empty, progress::add)) {
      String banner = Banner.render(sandbox.manifest(), sandbox.seeded());
      assertThat(banner)
          .contains(sandbox.manifest().proxyUrl() + "/docshift-sandbox/image/upload/<public_id>");
    }
  }

  @Test
  void aPortInUseFailsTheStartAndLeavesNothingRunning() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      Map<String, String> clash =
          Map.of(
              "sandbox.cloudinaryPort",
              Integer.toString(taken.getLocalPort()),
              "sandbox.s3Port",
              "0");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> SandboxRunner.start(dir, null, clash, progress::add))
          .hasMessageContaining(Integer.toString(taken.getLocalPort()));
    }
    // Everything started before the failure was stopped: a clean start on the same dir works.
    try (SandboxRunner again = SandboxRunner.start(dir, null, EPHEMERAL, progress::add)) {
      assertThat(again.manifest()).isNotNull();
    }
  }

  private JsonNode manifest() throws Exception {
    return new ObjectMapper().readTree(manifestFile().toFile());
  }

  private Path manifestFile() {
    return dir.resolve(SandboxManifest.FILE_NAME);
  }

  private static Cloudinary sdk(JsonNode json) {
    Cloudinary sdk = new Cloudinary(json.path("cloudinaryUrlDirect").asText());
    URI delivery = URI.create(json.at("/cloudinary/deliveryUrl").asText());
    sdk.config.secure = false;
    sdk.config.cname = delivery.getAuthority();
    return sdk;
  }

  private static S3Client s3(JsonNode json) {
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

  private static HttpResponse<byte[]> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }
}
