package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example configs in {@code conf/examples/} load through the real loader and are complete
 * enough to serve once the secrets their {@code # Requires:} line names are in the environment; the
 * files themselves carry no secret.
 */
class ExampleConfigsTest {
  /** What {@code docshift serve} requires before it starts anything. */
  private static final String[] SERVE_REQUIRES = {
    "cloudinary.cloudName", "s3.bucket", "admin.token"
  };

  static Path examples() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("conf/examples"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("conf/examples above the working directory").isNotNull();
    return dir.resolve("conf/examples");
  }

  /** The variables named on the file's {@code # Requires:} line. */
  private static List<String> required(Path file) throws IOException {
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("# Requires:")) {
        names.addAll(Arrays.asList(line.substring("# Requires:".length()).strip().split("\\s+")));
      }
    }
    return names;
  }

  private static Map<String, String> environment(List<String> names) {
    Map<String, String> environment = new LinkedHashMap<>();
    names.forEach(name -> environment.put(name, "from-the-environment-" + name.length()));
    return environment;
  }

  private static DocShiftConfig load(String name) throws IOException {
    Path file = examples().resolve(name);
    return DocShiftConfig.builder().file(file).environment(environment(required(file))).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws-s3.conf", "minio.conf", "postgresql.conf"})
  void loadsAndCanServeWithTheSecretsItNamesFromTheEnvironment(String name) throws IOException {
    Path file = examples().resolve(name);
    List<String> names = required(file);
    assertThat(names).as("secrets named on the # Requires: line").isNotEmpty();
    for (String variable : names) {
      assertThat(Settings.ALL)
          .as("%s sets a secret key", variable)
          .anyMatch(
              s -> s.secret() && DocShiftConfig.environmentVariable(s.key()).equals(variable));
    }

    DocShiftConfig config = load(name);
    config.requireNonEmpty(SERVE_REQUIRES);

    assertThatThrownBy(
            () -> DocShiftConfig.builder().file(file).build().requireNonEmpty(SERVE_REQUIRES))
        .as("without the environment the file alone cannot serve")
        .isInstanceOf(ConfigException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws-s3.conf", "minio.conf", "postgresql.conf"})
  void theFileItselfHoldsNoSecret(String name) {
    List<String> errors = new ArrayList<>();
    Map<String, String> fromFile = ConfigFile.read(examples().resolve(name), errors);
    assertThat(errors).isEmpty();
    Settings.ALL.stream()
        .filter(Setting::secret)
        .forEach(s -> assertThat(fromFile.getOrDefault(s.key(), "")).as(s.key()).isEmpty());
  }

  @Test
  void awsUsesTheRegionalEndpointVirtualHostedAndTheDefaultCredentialChain() throws IOException {
    S3Config s3 = load("aws-s3.conf").s3();
    assertThat(s3.endpoint()).isEmpty();
    assertThat(s3.pathStyle()).isFalse();
    assertThat(s3.accessKey()).isEmpty();
    assertThat(s3.secretKey()).isEmpty();
    assertThat(s3.region()).isEqualTo("eu-west-1");
  }

  @Test
  void minioUsesItsEndpointPathStyleAndStaticKeys() throws IOException {
    S3Config s3 = load("minio.conf").s3();
    assertThat(s3.endpoint()).isPresent();
    assertThat(s3.pathStyle()).isTrue();
    assertThat(s3.accessKey()).isEqualTo("docshift-proxy");
    assertThat(s3.secretKey()).isNotEmpty();
  }

  @Test
  void postgresqlPutsTheLedgerOnPostgresqlWithInitialAutoRevertRules() throws IOException {
    DocShiftConfig config = load("postgresql.conf");
    assertThat(config.ledger().url()).startsWith("jdbc:postgresql://");
    assertThat(config.ledger().password()).isNotEmpty();
    assertThat(config.autoRevert().minimumVolume()).isEqualTo(200);
    assertThat(config.autoRevert().p99Threshold().toMillis()).isEqualTo(3000);
  }
}
