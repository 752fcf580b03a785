package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.node.ProxyNode;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.store.StoreTrust;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.EmulatorConfig;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.TempDirs;
import io.docshift.testkit.TestCa;
import io.netty.handler.ssl.SslContextBuilder;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS everywhere on one instance: the proxy and admin listeners serve HTTPS from PEM files of a
 * test CA, the Cloudinary emulator and S3Proxy serve HTTPS with that CA's certificates, and
 * DocShift reaches them with {@code cloudinary.caFile} and {@code s3.caFile}. A store whose
 * certificate does not chain to the configured CA is refused and counted as that store's fault.
 */
class TlsEndToEndTest {
  private static final String CLOUD = "tlscloud";
  private static final String API_KEY = "123456789012345";
  private static final String API_SECRET = "tls-test-api-secret";
  private static final String ADMIN_TOKEN = "tls-test-admin-token";
  private static final String BUCKET = "docs";

  private final TestCa ca = TestCa.create("docshift test CA");
  private final TestCa stranger = TestCa.create("some other CA");
  private Path dir;
  private CloudinaryEmulator emulator;
  private EmbeddedS3 s3;
  private Ledger ledger;
  private ProxyNode node;
  private HttpClient https;

  @BeforeEach
  void start() throws Exception {
    dir = TempDirs.create("docshift-tls-e2e-");
    TestCa.Issued cloudinaryCert = ca.issue();
    emulator =
        CloudinaryEmulator.start(
            EmulatorConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir.resolve("cloudinary"))
                .cloudName(CLOUD)
                .apiKey(API_KEY)
                .apiSecret(API_SECRET)
                .build(),
            Optional.of(
                SslContextBuilder.forServer(
                        cloudinaryCert.key(), cloudinaryCert.certificate(), cloudinaryCert.issuer())
                    .build()));
    s3 =
        EmbeddedS3.startSecure(
            dir.resolve("s3"),
            "127.0.0.1",
            BUCKET,
            "tls-access",
            "tls-secret",
            ca.issue().writePkcs12(dir.resolve("s3.p12"), "changeit"),
            "changeit");
    ledger = Ledger.open(LedgerSettings.builder("jdbc:h2:mem:tls-" + UUID.randomUUID()).build());
    https =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(StoreTrust.caBundle(ca.writeCaPem(dir.resolve("ca.pem"))).jdk())
            .build();
    stranger.writeCaPem(dir.resolve("stranger.pem"));
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    ledger.close();
    s3.close();
    emulator.close();
    TempDirs.delete(dir);
  }

  @Test
  void bothListenersServeHttpsAndTheStoresAreReachedOverTls() throws Exception {
    node = ProxyNode.start(config(Map.of()), ledger);
    byte[] body = "a document that travelled over TLS only".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> upload = upload("tls/one", body);

    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
    assertThat(cloudinaryCopy("tls/one").body()).isEqualTo(body);
    assertThat(ledger.documents().find(key("tls/one")).orElseThrow().state())
        .isIn(S3State.COPIED, S3State.VERIFIED);
    HttpResponse<byte[]> read = https.send(delivery("tls/one"), BodyHandlers.ofByteArray());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("X-DocShift-Backend")).hasValue("s3");
    assertThat(read.body()).isEqualTo(body);

    HttpResponse<String> traffic =
        https.send(admin("/admin/traffic").build(), BodyHandlers.ofString());
    assertThat(traffic.statusCode()).isEqualTo(200);
    assertThat(traffic.body()).contains("DUAL_CLOUDINARY_PRIMARY");

    HttpResponse<String> signIn =
        https.send(
            HttpRequest.newBuilder(adminUrl("/console/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + ADMIN_TOKEN + "\"}"))
                .build(),
            BodyHandlers.ofString());
    assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
    assertThat(signIn.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("docshift_console=")
        .contains("; Secure");
  }

  /**
   * The proxy's certificate files are replaced while a keep-alive connection is open: new
   * connections get the new certificate (the listener looks every few seconds, so this polls), and
   * the open connection goes on serving requests with the old one.
   */
  @Test
  void aRotatedCertificateReachesNewConnectionsWhileAKeepAliveOneGoesOn() throws Exception {
    node = ProxyNode.start(config(Map.of()), ledger);
    byte[] body = "served before and after a rotation".getBytes(StandardCharsets.UTF_8);
    assertThat(upload("tls/rotate", body).statusCode()).isEqualTo(200);
    SSLSocketFactory sockets = StoreTrust.caBundle(dir.resolve("ca.pem")).jdk().getSocketFactory();
    try (SSLSocket kept = (SSLSocket) sockets.createSocket("127.0.0.1", node.proxyPort())) {
      kept.setSoTimeout(10_000);
      assertThat(RawHttps.get(kept, "/" + CLOUD + "/raw/upload/tls/rotate")).isEqualTo(body);
      BigInteger before = serial(kept);

      TestCa.Issued rotated = ca.issue();
      rotated.writePem(dir.resolve("proxy.pem"), dir.resolve("proxy.key"));

      Eventually.until(
          Duration.ofSeconds(15),
          () -> newConnectionSerial(sockets),
          rotated.serial()::equals,
          "a new connection with the rotated certificate");
      assertThat(RawHttps.get(kept, "/" + CLOUD + "/raw/upload/tls/rotate")).isEqualTo(body);
      assertThat(serial(kept)).isEqualTo(before).isNotEqualTo(rotated.serial());
    }
  }

  private BigInteger newConnectionSerial(SSLSocketFactory sockets) throws Exception {
    try (SSLSocket socket = (SSLSocket) sockets.createSocket("127.0.0.1", node.proxyPort())) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return serial(socket);
    }
  }

  private static BigInteger serial(SSLSocket socket) throws Exception {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  @Test
  void anS3CertificateNotSignedByTheConfiguredCaIsRefusedAndCountedAsAnS3Fault() throws Exception {
    node =
        ProxyNode.start(
            config(Map.of("s3.caFile", dir.resolve("stranger.pem").toString())), ledger);
    byte[] body = "Cloudinary takes it, S3 is refused".getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> upload = upload("tls/two", body);

    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
    assertThat(cloudinaryCopy("tls/two").body()).isEqualTo(body);
    assertThat(ledger.documents().find(key("tls/two")).orElseThrow().state())
        .isEqualTo(S3State.ABSENT);
    assertThat(ledger.outbox().queued(key("tls/two"), RepairOperation.PUT)).isTrue();
    assertThat(metricLines("docshift_write_secondary_total"))
        .anyMatch(l -> l.contains("outcome=\"s3_connect\"") && !l.endsWith(" 0.0"));
    HttpResponse<byte[]> read = https.send(delivery("tls/two"), BodyHandlers.ofByteArray());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
    assertThat(read.body()).isEqualTo(body);
  }

  @Test
  void aCloudinaryCertificateNotSignedByTheConfiguredCaIsRefusedAndNothingIsStored()
      throws Exception {
    node =
        ProxyNode.start(
            config(Map.of("cloudinary.caFile", dir.resolve("stranger.pem").toString())), ledger);

    HttpResponse<String> upload =
        upload("tls/three", "never stored".getBytes(StandardCharsets.UTF_8));

    assertThat(upload.statusCode()).as(upload.body()).isGreaterThanOrEqualTo(500);
    assertThat(upload.headers().firstValue("X-DocShift-Backend")).hasValue("cloudinary");
    assertThat(cloudinaryCopy("tls/three").statusCode()).isEqualTo(404);
    assertThat(ledger.documents().find(key("tls/three"))).isEmpty();
    assertThat(metricLines("docshift_requests_seconds_count"))
        .anyMatch(l -> l.contains("outcome=\"cloudinary_connect\"") && !l.endsWith(" 0.0"));
    HttpResponse<byte[]> read = https.send(delivery("tls/three"), BodyHandlers.ofByteArray());
    assertThat(read.statusCode()).isGreaterThanOrEqualTo(500);
  }

  private DocShiftConfig config(Map<String, String> extra) {
    TestCa.Issued proxyCert = ca.issue();
    proxyCert.writePem(dir.resolve("proxy.pem"), dir.resolve("proxy.key"));
    TestCa.Issued adminCert = ca.issue();
    adminCert.writePem(dir.resolve("admin.pem"), dir.resolve("admin.key"));
    Map<String, String> keys = new HashMap<>();
    keys.put("cloudinary.cloudName", CLOUD);
    keys.put("cloudinary.apiKey", API_KEY);
    keys.put("cloudinary.apiSecret", API_SECRET);
    keys.put("cloudinary.apiUrl", emulator.baseUrl().toString());
    keys.put("cloudinary.deliveryUrl", emulator.baseUrl() + "/{cloudName}");
    keys.put("cloudinary.caFile", dir.resolve("ca.pem").toString());
    keys.put("s3.endpoint", s3.endpoint().toString());
    keys.put("s3.bucket", BUCKET);
    keys.put("s3.accessKey", s3.accessKey());
    keys.put("s3.secretKey", s3.secretKey());
    keys.put("s3.pathStyle", "true");
    keys.put("s3.caFile", dir.resolve("ca.pem").toString());
    keys.put("proxy.port", "0");
    keys.put("proxy.tls.certFile", dir.resolve("proxy.pem").toString());
    keys.put("proxy.tls.keyFile", dir.resolve("proxy.key").toString());
    keys.put("admin.port", "0");
    keys.put("admin.token", ADMIN_TOKEN);
    keys.put("admin.tls.certFile", dir.resolve("admin.pem").toString());
    keys.put("admin.tls.keyFile", dir.resolve("admin.key").toString());
    keys.put("repair.enabled", "false");
    keys.put("traffic.writeMode", "DUAL_CLOUDINARY_PRIMARY");
    keys.put("traffic.s3ReadPercent", "100");
    keys.putAll(extra);
    return DocShiftConfig.builder().overrides(keys).build();
  }

  private HttpResponse<String> upload(String publicId, byte[] body) throws Exception {
    SignedForm form = SignedForm.of(Map.of("public_id", publicId), API_KEY, API_SECRET).file(body);
    URI url =
        URI.create("https://127.0.0.1:" + node.proxyPort() + "/v1_1/" + CLOUD + "/raw/upload");
    return https.send(
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", SignedForm.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
            .build(),
        BodyHandlers.ofString());
  }

  private HttpRequest delivery(String publicId) {
    return HttpRequest.newBuilder(
            URI.create(
                "https://127.0.0.1:" + node.proxyPort() + "/" + CLOUD + "/raw/upload/" + publicId))
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  /** The document as the emulator delivers it, fetched over its own TLS. */
  private HttpResponse<byte[]> cloudinaryCopy(String publicId) throws Exception {
    URI url = URI.create(emulator.deliveryUrl() + "/raw/upload/" + publicId);
    return https.send(HttpRequest.newBuilder(url).build(), BodyHandlers.ofByteArray());
  }

  private URI adminUrl(String path) {
    return URI.create("https://127.0.0.1:" + node.adminPort() + path);
  }

  private HttpRequest.Builder admin(String path) {
    return HttpRequest.newBuilder(adminUrl(path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  private java.util.List<String> metricLines(String name) throws Exception {
    String text = https.send(admin("/metrics").build(), BodyHandlers.ofString()).body();
    return text.lines().filter(l -> l.startsWith(name + "{")).toList();
  }

  private static LedgerKey key(String publicId) {
    return new LedgerKey(CLOUD, "raw", "upload", publicId);
  }
}
