package io.docshift.app.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.app.CliHarness;
import io.docshift.app.cli.ConfigOptions;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Shadow and verify on a running sandbox: one byte of one S3 object is changed behind DocShift's
 * back. A shadow read flags it while the client still gets Cloudinary's bytes; routing stops using
 * S3 for that document (and only that one); {@code docshift verify} reports it (cheap and deep);
 * {@code verify --repair} copies it again; the next verify is clean and S3 serves it again.
 */
@Timeout(300)
class ShadowAndVerifySandboxTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @TempDir Path out;

  @Test
  void aCorruptedS3ObjectIsFlaggedRoutedAroundVerifiedAndRepaired() throws Exception {
    try (SandboxRunner sandbox =
        SandboxRunner.start(dir, null, CliHarness.ephemeralSandbox(6), line -> {})) {
      String conf = sandbox.configFile().toString();
      DocShiftConfig config = ConfigOptions.load(sandbox.configFile(), Map.of());
      assertThat(cli("backfill", "--config", conf)).isZero();
      assertThat(cli("verify", "--config", conf)).isZero();
      assertThat(traffic(conf, "--shadow-percent", "100")).isZero();

      List<DocumentRecord> uploads = verifiedUploads(config);
      DocumentRecord victim = uploads.get(0);
      DocumentRecord bystander = uploads.get(1);
      URI proxy =
          URI.create(JSON.readTree(dir.resolve("sandbox.json").toFile()).at("/proxy/url").asText());
      byte[] original = get(emulatorUrl(config, victim)).body();
      assertThat(md5(original)).isEqualTo(victim.asset().etag());
      byte[] corrupted = original.clone();
      corrupted[corrupted.length / 2] ^= 0x01;
      overwriteInS3(config, victim, corrupted, original);

      HttpResponse<byte[]> read = get(proxyUrl(proxy, victim));
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.body()).isEqualTo(original);
      assertThat(backend(read)).isEqualTo("cloudinary");
      awaitState(config, victim, S3State.MISMATCH);

      assertThat(traffic(conf, "--s3-read-percent", "100")).isZero();
      awaitBackend(proxyUrl(proxy, bystander), "s3");
      HttpResponse<byte[]> routedAround = get(proxyUrl(proxy, victim));
      assertThat(backend(routedAround)).isEqualTo("cloudinary");
      assertThat(routedAround.body()).isEqualTo(original);

      Path report = out.resolve("verify.json");
      CliHarness cheap = new CliHarness();
      assertThat(cheap.run("verify", "--config", conf, "--report", report.toString())).isEqualTo(1);
      assertThat(cheap.out())
          .contains("NOT CLEAN", "  checksum-differs " + victim.key())
          .doesNotContain(bystander.key().toString());
      JsonNode json = JSON.readTree(report.toFile());
      assertThat(json.at("/exitCode").asInt()).isEqualTo(1);
      assertThat(json.at("/summary/differences").asInt()).isEqualTo(1);
      assertThat(json.at("/findings/0/kind").asText()).isEqualTo("checksum-differs");
      assertThat(json.at("/findings/0/document").asText()).isEqualTo(victim.key().toString());

      CliHarness deep = new CliHarness();
      assertThat(deep.run("verify", "--config", conf, "--deep")).isEqualTo(1);
      assertThat(deep.out()).contains("  checksum-differs " + victim.key() + " (");
      CliHarness repair = new CliHarness();
      assertThat(repair.run("verify", "--config", conf, "--repair")).as(repair.out()).isZero();
      assertThat(repair.out()).contains("checksum-differs", "(repaired 1)");
      CliHarness after = new CliHarness();
      assertThat(after.run("verify", "--config", conf, "--deep")).as(after.out()).isZero();
      assertThat(after.out()).contains("CLEAN").doesNotContain("NOT CLEAN");
      assertThat(cli("verify", "--config", conf, "--enumerate", "--deep")).isZero();

      awaitBackend(proxyUrl(proxy, victim), "s3"); // verified again: S3 serves it, correctly
      assertThat(get(proxyUrl(proxy, victim)).body()).isEqualTo(original);
    }
  }

  @Test
  void anUnreachableS3MakesTheWalkIncompleteNotClean() throws Exception {
    try (SandboxRunner sandbox =
        SandboxRunner.start(dir, null, CliHarness.ephemeralSandbox(2), line -> {})) {
      String conf = sandbox.configFile().toString();
      assertThat(cli("backfill", "--config", conf)).isZero();
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0)) {
        closedPort = socket.getLocalPort();
      }
      CliHarness cli = new CliHarness();
      int code =
          cli.run(
              "verify", "--config", conf, "--set", "s3.endpoint=http://127.0.0.1:" + closedPort);
      assertThat(code).as(cli.out() + cli.err()).isEqualTo(3);
      assertThat(cli.out()).contains("NOT CLEAN");
    }
  }

  @Test
  void describesItsOptionsAndSeparatesUsageErrors() {
    CliHarness cli = new CliHarness();
    assertThat(cli.run("verify", "--help")).isZero();
    assertThat(cli.out())
        .contains(
            "--config=FILE", "--deep", "--repair", "--enumerate", "--report=FILE", "--concurrency");
    assertThat(new CliHarness().run("verify", "--no-such-flag")).isEqualTo(2);
    CliHarness missing = new CliHarness();
    assertThat(missing.run("verify", "--set", "ledger.url=jdbc:h2:mem:none")).isEqualTo(2);
    assertThat(missing.err()).contains("cloudinary.cloudName");
  }

  private static int cli(String... args) {
    CliHarness cli = new CliHarness();
    int code = cli.run(args);
    assertThat(cli.err()).as("stderr of %s", String.join(" ", args)).doesNotContain("Exception");
    return code;
  }

  private static int traffic(String conf, String flag, String value) {
    return cli("traffic", "set", "--config", conf, flag, value, "--reason", "shadow test");
  }

  private static List<DocumentRecord> verifiedUploads(DocShiftConfig config) {
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
      List<DocumentRecord> uploads =
          ledger.documents().page(S3State.VERIFIED, 0, 100).stream()
              .filter(r -> r.key().type().equals("upload"))
              .toList();
      assertThat(uploads).hasSizeGreaterThanOrEqualTo(2);
      return uploads;
    }
  }

  private static String path(DocumentRecord r) {
    String format = r.asset().format();
    boolean extension = format != null && !r.key().resourceType().equals("raw");
    return "/"
        + r.key().resourceType()
        + "/upload/v"
        + r.asset().version()
        + "/"
        + r.key().publicId()
        + (extension ? "." + format : "");
  }

  private static URI emulatorUrl(DocShiftConfig config, DocumentRecord r) {
    return URI.create(config.cloudinary().deliveryBaseUrl() + path(r));
  }

  private static URI proxyUrl(URI proxy, DocumentRecord r) {
    return URI.create(proxy + "/" + r.key().cloud() + path(r));
  }

  private static String s3Key(DocShiftConfig config, DocumentRecord r) {
    String format = r.asset().format();
    boolean extension = format != null && !r.key().resourceType().equals("raw");
    return config.s3().keyPrefix() + r.key() + (extension ? "." + format : "");
  }

  /** A plain SDK put over the object, keeping the metadata DocShift wrote (no checksums). */
  private static void overwriteInS3(
      DocShiftConfig config, DocumentRecord r, byte[] bytes, byte[] original) throws Exception {
    try (S3AsyncClient client =
        S3AsyncClient.builder()
            .endpointOverride(config.s3().endpoint().orElseThrow())
            .region(Region.of(config.s3().region()))
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .credentialsProvider(
                () -> AwsBasicCredentials.create(config.s3().accessKey(), config.s3().secretKey()))
            .build()) {
      Map<String, String> metadata =
          Map.of(
              "md5", md5(original),
              "sha256", hex("SHA-256", original),
              "cloudinary-version", Long.toString(r.asset().version()));
      String contentType =
          get(emulatorUrl(config, r)).headers().firstValue("Content-Type").orElseThrow();
      client
          .putObject(
              b ->
                  b.bucket(config.s3().bucket())
                      .key(s3Key(config, r))
                      .contentType(contentType)
                      .metadata(metadata),
              AsyncRequestBody.fromBytes(bytes))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static void awaitState(DocShiftConfig config, DocumentRecord r, S3State expected) {
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
      Eventually.until(
          Duration.ofSeconds(20),
          () -> ledger.documents().find(r.key()).orElseThrow().state(),
          state -> state == expected,
          "state " + expected);
    }
  }

  private static void awaitBackend(URI doc, String expected) throws Exception {
    Eventually.until(
        Duration.ofSeconds(15),
        () -> backend(get(doc)),
        expected::equals,
        expected + " serving " + doc);
  }

  private static HttpResponse<byte[]> get(URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String backend(HttpResponse<?> response) {
    return response.headers().firstValue("X-DocShift-Backend").orElse("");
  }

  private static String md5(byte[] bytes) throws Exception {
    return hex("MD5", bytes);
  }

  private static String hex(String algorithm, byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }
}
