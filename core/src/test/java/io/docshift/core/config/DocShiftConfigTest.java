package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocShiftConfigTest {
  @TempDir Path dir;

  private Path file(String... lines) throws IOException {
    return Files.write(dir.resolve("docshift.conf"), java.util.List.of(lines));
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    DocShiftConfig config = DocShiftConfig.defaults();

    assertThat(config.proxy()).isEqualTo(new ProxyConfig("127.0.0.1", 8080));
    assertThat(config.admin().port()).isEqualTo(9090);
    assertThat(config.sandbox()).isEqualTo(new SandboxConfig(8081, 8082, 200, "demo"));
    assertThat(config.traffic()).isEqualTo(new TrafficConfig(0, WriteMode.CLOUDINARY_ONLY, 0));
    assertThat(config.ledger().url()).isEqualTo("jdbc:h2:file:./data/ledger;AUTO_SERVER=TRUE");
    assertThat(config.cloudinary().apiUrl()).isEqualTo(URI.create("https://api.cloudinary.com"));
    assertThat(config.cloudinary().signatureAlgorithm()).isEqualTo(SignatureAlgorithm.SHA1);
    assertThat(config.s3().endpoint()).isEmpty();
    assertThat(config.s3().hasStaticCredentials()).isFalse();
    assertThat(config.backfill().adminCallsPerHour()).isEqualTo(2000);
    assertThat(config.repair().maxBackoffMillis()).isEqualTo(600_000);
  }

  @Test
  void storeDeadlinesAreConfigurableWithTheirDocumentedDefaults() {
    DocShiftConfig defaults = DocShiftConfig.defaults();
    assertThat(defaults.cloudinary().connectTimeoutMillis()).isEqualTo(2_000);
    assertThat(defaults.cloudinary().apiTotalTimeoutMillis()).isEqualTo(300_000);
    assertThat(defaults.s3().connectTimeoutMillis()).isEqualTo(2_000);
    assertThat(defaults.proxy().storeTotalWaitMillis()).isEqualTo(120_000);
    assertThat(defaults.proxy().writeStallMillis()).isEqualTo(30_000);
    assertThat(defaults.proxy().socketSendBufferBytes()).isEqualTo(65_536);

    DocShiftConfig set =
        DocShiftConfig.builder()
            .environment(Map.of("DOCSHIFT_PROXY_STORETOTALWAITMILLIS", "900"))
            .overrides(
                Map.of(
                    "cloudinary.connectTimeoutMillis", "150",
                    "cloudinary.apiTotalTimeoutMillis", "700",
                    "s3.connectTimeoutMillis", "250",
                    "s3.bucket", "docs"))
            .build();
    assertThat(set.cloudinary().connectTimeoutMillis()).isEqualTo(150);
    assertThat(set.cloudinary().apiTotalTimeoutMillis()).isEqualTo(700);
    assertThat(set.s3().connectTimeoutMillis()).isEqualTo(250);
    assertThat(set.proxy().storeTotalWaitMillis()).isEqualTo(900);
    assertThat(StoreSettings.s3(set.s3()).build().connectTimeout())
        .isEqualTo(java.time.Duration.ofMillis(250));
  }

  @Test
  void fileThenEnvironmentThenOverridesWin() throws IOException {
    Path conf =
        file("# comment", "proxy.port = 1111", "admin.port=2222", "", "s3.bucket = from-file");
    Map<String, String> env =
        Map.of(
            "DOCSHIFT_ADMIN_PORT", "3333",
            "DOCSHIFT_S3_BUCKET", "from-env",
            "DOCSHIFT_HOME", "/opt/docshift",
            "PATH", "/usr/bin");

    DocShiftConfig config =
        DocShiftConfig.builder()
            .overrides(Map.of("s3.bucket", "from-cli"))
            .environment(env)
            .file(conf)
            .build();

    assertThat(config.proxy().port()).isEqualTo(1111);
    assertThat(config.admin().port()).isEqualTo(3333);
    assertThat(config.s3().bucket()).isEqualTo("from-cli");
  }

  @Test
  void environmentNamesUpperCaseTheKeyAndReplaceDots() {
    assertThat(DocShiftConfig.environmentVariable("proxy.port")).isEqualTo("DOCSHIFT_PROXY_PORT");
    assertThat(DocShiftConfig.environmentVariable("cloudinary.cloudName"))
        .isEqualTo("DOCSHIFT_CLOUDINARY_CLOUDNAME");

    DocShiftConfig config =
        DocShiftConfig.builder()
            .environment(Map.of("DOCSHIFT_CLOUDINARY_CLOUDNAME", "acme"))
            .build();
    assertThat(config.cloudinary().cloudName()).isEqualTo("acme");
  }

  @Test
  void valuesAreTrimmedAndNormalised() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .override("traffic.writeMode", " dual_s3_primary ")
            .override("s3.pathStyle", "TRUE")
            .override("cloudinary.signatureAlgorithm", "sha256")
            .override("proxy.port", "0080")
            .build();

    assertThat(config.traffic().writeMode()).isEqualTo(WriteMode.DUAL_S3_PRIMARY);
    assertThat(config.s3().pathStyle()).isTrue();
    assertThat(config.cloudinary().signatureAlgorithm()).isEqualTo(SignatureAlgorithm.SHA256);
    assertThat(config.asProperties()).containsEntry("proxy.port", "80");
  }

  @Test
  void deliveryUrlFillsInTheCloudName() {
    DocShiftConfig shared =
        DocShiftConfig.builder().override("cloudinary.cloudName", "acme").build();
    DocShiftConfig privateCdn =
        DocShiftConfig.builder()
            .override("cloudinary.cloudName", "acme")
            .override("cloudinary.deliveryUrl", "https://acme-res.cloudinary.com/")
            .build();

    assertThat(shared.cloudinary().deliveryBaseUrl())
        .isEqualTo(URI.create("https://res.cloudinary.com/acme"));
    assertThat(privateCdn.cloudinary().deliveryBaseUrl())
        .isEqualTo(URI.create("https://acme-res.cloudinary.com"));
  }

  @Test
  void secretsAreMaskedWheneverShown() {
    DocShiftConfig config = withSecrets();

    String[] secrets = {"cld-secret", "s3-secret", "db-secret", "admin-secret", "op-secret-1"};
    assertThat(config.toString()).doesNotContain(secrets).contains("s3.accessKey=AKIA");
    assertThat(config.renderMasked()).doesNotContain(secrets).contains("admin.token = ****");
    assertThat(config.asMaskedProperties().values()).doesNotContain(secrets);
    assertThat(config.cloudinary().toString()).doesNotContain(secrets).contains("apiSecret=****");
    assertThat(config.s3().toString()).doesNotContain(secrets).contains("secretKey=****");
    assertThat(config.ledger().toString()).doesNotContain(secrets).contains("password=****");
    assertThat(config.admin().toString()).doesNotContain(secrets).contains("token=****");
    assertThat(config.admin().toString()).contains("operatorTokens=****");
    assertThat(config.renderMasked()).contains("admin.operatorTokens = ****");
    assertThat(DocShiftConfig.defaults().admin().toString()).contains("token=, operatorTokens=]");
    assertThat(config.render()).contains(secrets);
  }

  @Test
  void operatorTokensAreOwnedByTheirNamesAndTheSharedTokenByAdmin() {
    assertThat(withSecrets().admin().tokensByOwner())
        .containsOnly(
            Map.entry("admin", "admin-secret"),
            Map.entry("dana", "op-secret-1"),
            Map.entry("eve", "op-secret-2"));
    assertThatThrownBy(
            () ->
                DocShiftConfig.builder()
                    .overrides(Map.of("admin.operatorTokens", "dana:short"))
                    .build())
        .hasMessageContaining("admin.operatorTokens: ****")
        .hasMessageNotContaining("short");
  }

  @Test
  void renderReadsBackToAnEqualConfig() throws IOException {
    DocShiftConfig config = withSecrets();
    Path written = Files.writeString(dir.resolve("rendered.conf"), config.render());

    DocShiftConfig reread = DocShiftConfig.builder().file(written).build();

    assertThat(reread).isEqualTo(config).hasSameHashCodeAs(config);
    assertThat(reread.asProperties()).isEqualTo(config.asProperties());
    assertThat(reread.s3().endpoint()).isEqualTo(Optional.of(URI.create("http://127.0.0.1:8082")));
    assertThat(DocShiftConfig.defaults()).isNotEqualTo(config);
  }

  @Test
  void requireNonEmptyListsEveryMissingKey() {
    DocShiftConfig config = DocShiftConfig.builder().override("s3.bucket", "docs").build();

    config.requireNonEmpty("s3.bucket");
    assertThatThrownBy(
            () -> config.requireNonEmpty("cloudinary.cloudName", "s3.bucket", "admin.token"))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "cloudinary.cloudName:  (expected: non-empty)",
                        "admin.token:  (expected: non-empty)"));
    assertThatThrownBy(() -> config.requireNonEmpty("no.such"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void knownKeysListEverySectionInFileOrder() {
    assertThat(DocShiftConfig.knownKeys())
        .startsWith("cloudinary.cloudName")
        .contains(
            "s3.endpoint", "ledger.url", "proxy.port", "traffic.writeMode", "repair.jitterPercent")
        .doesNotHaveDuplicates();
  }

  private static DocShiftConfig withSecrets() {
    return DocShiftConfig.builder()
        .overrides(
            Map.of(
                "cloudinary.cloudName", "acme",
                "cloudinary.apiKey", "123456",
                "cloudinary.apiSecret", "cld-secret",
                "cloudinary.deliveryUrl", "http://127.0.0.1:8081/{cloudName}",
                "s3.endpoint", "http://127.0.0.1:8082",
                "s3.accessKey", "AKIA",
                "s3.secretKey", "s3-secret",
                "ledger.password", "db-secret",
                "admin.token", "admin-secret",
                "s3.keyPrefix", "migrated/ docs/"))
        .override("admin.operatorTokens", "dana:op-secret-1,eve:op-secret-2")
        .override("traffic.writeMode", "DUAL_CLOUDINARY_PRIMARY")
        .override("ledger.url", "jdbc:postgresql://db:5432/ledger?ssl=true&x=a=b")
        .build();
  }
}
