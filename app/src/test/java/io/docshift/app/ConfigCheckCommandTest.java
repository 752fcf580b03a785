package io.docshift.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.testkit.TestCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docshift config check}: the effective config with secrets masked, or every problem. */
class ConfigCheckCommandTest {
  private static final String SECRET = "s3-secret-do-not-print";
  private static final String TOKEN = "admin-token-do-not-print";

  @TempDir Path dir;
  private final CliHarness cli = new CliHarness();

  private Path file(String text) throws IOException {
    return Files.writeString(dir.resolve("docshift.conf"), text);
  }

  @Test
  void aValidFilePrintsEveryEffectiveValueWithSecretsMasked() throws IOException {
    Path conf =
        file(
            "s3.bucket = docs\n"
                + "s3.accessKey = AKIAEXAMPLE\n"
                + "s3.secretKey = "
                + SECRET
                + "\nadmin.token = "
                + TOKEN
                + "\nautoRevert.windowSeconds = 90\n");

    int exit = cli.run("config", "check", "--config", conf.toString(), "--set", "proxy.port=18080");

    assertThat(exit).isZero();
    assertThat(cli.out())
        .contains(
            "s3.bucket = docs",
            "s3.accessKey = AKIAEXAMPLE",
            "s3.secretKey = ****",
            "admin.token = ****",
            "autoRevert.windowSeconds = 90",
            "proxy.port = 18080",
            "shadow.timeoutMillis = 10000",
            "# configuration valid")
        .doesNotContain(SECRET, TOKEN);
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void anInvalidFileListsEveryProblemAndExitsTwo() throws IOException {
    Path conf =
        file(
            "proxy.port = 70000\n"
                + "autoRevert.failureRatePercent = 120\n"
                + "s3.secretKey = "
                + SECRET
                + "\nno.such.key = 1\n");

    int exit = cli.run("config", "check", "--config", conf.toString());

    assertThat(exit).isEqualTo(ConfigCheckCommand.INVALID);
    assertThat(cli.err())
        .contains(
            "no.such.key: unknown key",
            "proxy.port: 70000 (expected: integer 0..65535)",
            "autoRevert.failureRatePercent: 120 (expected: integer 0..100)")
        .doesNotContain(SECRET);
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void tlsFilesAreReadAndAWrongOneIsNamed() throws IOException {
    Path cert = dir.resolve("proxy.pem");
    Path key = dir.resolve("proxy.key");
    TestCa.create("config check CA").issue().writePem(cert, key);
    Path conf =
        file(
            "proxy.tls.certFile = "
                + cert
                + "\nproxy.tls.keyFile = "
                + key
                + "\nadmin.tls.certFile = "
                + key
                + "\nadmin.tls.keyFile = "
                + key
                + "\ns3.caFile = "
                + dir.resolve("absent-ca.pem")
                + "\n");

    int exit = cli.run("config", "check", "--config", conf.toString());

    assertThat(exit).isEqualTo(ConfigCheckCommand.INVALID);
    assertThat(cli.err())
        .contains(
            "admin.tls.certFile: "
                + key
                + " (expected: empty, or a readable PEM file of certificates)",
            "s3.caFile: "
                + dir.resolve("absent-ca.pem")
                + " (expected: empty, or a readable PEM file of certificates)")
        .doesNotContain("proxy.tls");
  }

  @Test
  void aMissingFileIsAProblemNotACrash() {
    int exit = cli.run("config", "check", "--config", dir.resolve("absent.conf").toString());

    assertThat(exit).isEqualTo(ConfigCheckCommand.INVALID);
    assertThat(cli.err()).contains("absent.conf: cannot read");
  }

  @Test
  void theCrossKeyRuleIsReportedWithTheSecretMasked() throws IOException {
    Path conf = file("s3.secretKey = " + SECRET + "\n");

    assertThat(cli.run("config", "check", "--config", conf.toString()))
        .isEqualTo(ConfigCheckCommand.INVALID);
    assertThat(cli.err())
        .contains("s3.accessKey:  (expected: non-empty when s3.secretKey is set)")
        .doesNotContain(SECRET);
  }
}
