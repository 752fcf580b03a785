package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every problem is reported, each in the form {@code key: value (expected: ...)}. */
class ConfigValidationTest {
  @TempDir Path dir;

  private static List<String> errors(DocShiftConfig.Builder builder) {
    return assertThrows(ConfigException.class, builder::build).errors();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "proxy.port|70000|proxy.port: 70000 (expected: integer 0..65535)",
        "admin.port|-1|admin.port: -1 (expected: integer 0..65535)",
        "sandbox.seedCount|many|sandbox.seedCount: many (expected: integer 0..1000000)",
        "traffic.s3ReadPercent|101|traffic.s3ReadPercent: 101 (expected: integer 0..100)",
        "traffic.writeMode|DUAL|traffic.writeMode: DUAL (expected: one of CLOUDINARY_ONLY,"
            + " DUAL_CLOUDINARY_PRIMARY, DUAL_S3_PRIMARY, S3_ONLY)",
        "cloudinary.signatureAlgorithm|MD5|cloudinary.signatureAlgorithm: MD5"
            + " (expected: one of SHA1, SHA256)",
        "s3.pathStyle|yes|s3.pathStyle: yes (expected: true or false)",
        "cloudinary.apiUrl|api.cloudinary.com|cloudinary.apiUrl: api.cloudinary.com"
            + " (expected: http(s) URL)",
        "cloudinary.deliveryUrl|ftp://x/{cloudName}|cloudinary.deliveryUrl: ftp://x/{cloudName}"
            + " (expected: http(s) URL)",
        "s3.endpoint|localhost:4566|s3.endpoint: localhost:4566 (expected: empty or http(s) URL)",
        "s3.bucket|My_Bucket|s3.bucket: My_Bucket"
            + " (expected: empty or bucket name (3-63 of a-z 0-9 . -))",
        "s3.keyPrefix|/docs/|s3.keyPrefix: /docs/ (expected: empty or a prefix not starting with"
            + " /)",
        "s3.region|US East|s3.region: US East (expected: region name such as us-east-1)",
        "ledger.url|jdbc:mysql://db/x|ledger.url: jdbc:mysql://db/x"
            + " (expected: JDBC URL starting with jdbc:h2: or jdbc:postgresql:)",
        "ledger.maxPoolSize|0|ledger.maxPoolSize: 0 (expected: integer 1..1000)",
        "proxy.host|local host|proxy.host: local host (expected: host name or IP address)",
        "cloudinary.requestTimeoutMillis|0|cloudinary.requestTimeoutMillis: 0"
            + " (expected: integer 1..3600000)",
        "backfill.leaseMillis|10|backfill.leaseMillis: 10 (expected: integer 1000..86400000)",
        "repair.jitterPercent|1.5|repair.jitterPercent: 1.5 (expected: integer 0..100)",
        "cloudinary.connectTimeoutMillis|0|cloudinary.connectTimeoutMillis: 0"
            + " (expected: integer 1..600000)",
        "cloudinary.connectTimeoutMillis|2s|cloudinary.connectTimeoutMillis: 2s"
            + " (expected: integer 1..600000)",
        "cloudinary.apiTotalTimeoutMillis|-1|cloudinary.apiTotalTimeoutMillis: -1"
            + " (expected: integer 1..3600000)",
        "s3.connectTimeoutMillis|600001|s3.connectTimeoutMillis: 600001"
            + " (expected: integer 1..600000)",
        "proxy.storeTotalWaitMillis|0|proxy.storeTotalWaitMillis: 0"
            + " (expected: integer 1..3600000)",
        "proxy.storeTotalWaitMillis|3600001|proxy.storeTotalWaitMillis: 3600001"
            + " (expected: integer 1..3600000)",
        "proxy.writeStallMillis|0|proxy.writeStallMillis: 0 (expected: integer 1..3600000)",
        "proxy.socketSendBufferBytes|-1|proxy.socketSendBufferBytes: -1"
            + " (expected: integer 0..67108864)",
        "proxy.idleTimeoutMillis|0|proxy.idleTimeoutMillis: 0 (expected: integer 1..3600000)",
        "proxy.headerReadTimeoutMillis|10s|proxy.headerReadTimeoutMillis: 10s"
            + " (expected: integer 1..3600000)",
        "proxy.bodyGraceMillis|0|proxy.bodyGraceMillis: 0 (expected: integer 1..3600000)",
        "proxy.minBodyBytesPerSecond|-1|proxy.minBodyBytesPerSecond: -1"
            + " (expected: integer 0..1000000000)",
        "proxy.maxConnections|0|proxy.maxConnections: 0 (expected: integer 1..1000000)",
        "proxy.maxInFlightUploads|0|proxy.maxInFlightUploads: 0 (expected: integer 1..100000)",
        "proxy.maxHeaderCount|7|proxy.maxHeaderCount: 7 (expected: integer 8..10000)",
        "proxy.maxRequestLineBytes|255|proxy.maxRequestLineBytes: 255"
            + " (expected: integer 256..65536)",
        "proxy.maxHeaderBytes|1023|proxy.maxHeaderBytes: 1023 (expected: integer 1024..1048576)",
        "proxy.spoolReserveBytes|-1|proxy.spoolReserveBytes: -1"
            + " (expected: integer 0..9223372036854775807)",
      })
  void anInvalidValueNamesKeyValueAndExpectation(String key, String value, String error) {
    assertThat(errors(DocShiftConfig.builder().override(key, value))).containsExactly(error);
  }

  @Test
  void everyProblemIsCollectedNotJustTheFirst() throws IOException {
    Path conf = Files.writeString(dir.resolve("docshift.conf"), "proxy.port = 70000\n");

    List<String> errors =
        errors(
            DocShiftConfig.builder()
                .file(conf)
                .environment(Map.of("DOCSHIFT_ADMIN_PORT", "x"))
                .override("traffic.shadowPercent", "200"));

    assertThat(errors)
        .containsExactly(
            "proxy.port: 70000 (expected: integer 0..65535)",
            "admin.port: x (expected: integer 0..65535)",
            "traffic.shadowPercent: 200 (expected: integer 0..100)");
  }

  @Test
  void unknownDuplicateAndMalformedFileLinesNameTheLine() throws IOException {
    Path conf =
        Files.writeString(
            dir.resolve("docshift.conf"),
            "# DocShift\nproxy.prot = 8080\nproxy.port = 1\n\nproxy.port = 2\njust text\n= x\n");

    assertThat(errors(DocShiftConfig.builder().file(conf)))
        .containsExactly(
            "proxy.prot: unknown key (" + conf + " line 2)",
            "proxy.port: set twice (" + conf + " lines 3 and 5)",
            conf + " line 6: expected 'key = value', got 'just text'",
            conf + " line 7: expected 'key = value', got '= x'");
  }

  @Test
  void anUnknownOverrideIsAnError() {
    assertThat(errors(DocShiftConfig.builder().override("proxy.prot", "1")))
        .containsExactly("proxy.prot: unknown key (override)");
  }

  @Test
  void aMissingFileIsAnError() {
    Path missing = dir.resolve("nope.conf");

    assertThat(errors(DocShiftConfig.builder().file(missing)))
        .singleElement()
        .asString()
        .startsWith(missing + ": cannot read (NoSuchFileException");
  }

  @Test
  void aValueMustBeOneLine() {
    assertThat(errors(DocShiftConfig.builder().override("cloudinary.cloudName", "a\nb")))
        .containsExactly("cloudinary.cloudName: a\\nb (expected: text)");
  }

  @Test
  void rulesAcrossKeysAreChecked() {
    assertThat(
            errors(
                DocShiftConfig.builder()
                    .override("admin.port", "8080")
                    .override("s3.accessKey", "AKIA")
                    .override("repair.initialBackoffMillis", "5000")
                    .override("repair.maxBackoffMillis", "4000")))
        .containsExactly(
            "admin.port: 8080 (expected: a port other than proxy.port)",
            "s3.secretKey:  (expected: non-empty when s3.accessKey is set)",
            "repair.maxBackoffMillis: 4000 (expected: integer >= repair.initialBackoffMillis)");
    assertThat(errors(DocShiftConfig.builder().override("s3.secretKey", "hush")))
        .containsExactly("s3.accessKey:  (expected: non-empty when s3.secretKey is set)");
    DocShiftConfig bothEphemeral =
        DocShiftConfig.builder().override("proxy.port", "0").override("admin.port", "0").build();
    assertThat(bothEphemeral.admin().port()).isZero();
  }

  @Test
  void secretsAreMaskedInErrors() {
    assertThat(
            errors(
                DocShiftConfig.builder()
                    .override("s3.secretKey", "hush\nhush")
                    .override("s3.accessKey", "AKIA")))
        .containsExactly("s3.secretKey: **** (expected: text)");
  }

  @Test
  void theMessageJoinsEveryError() {
    assertThatThrownBy(
            () ->
                DocShiftConfig.builder()
                    .override("proxy.port", "x")
                    .override("admin.port", "y")
                    .build())
        .hasMessage(
            "invalid configuration:\n"
                + "  proxy.port: x (expected: integer 0..65535)\n"
                + "  admin.port: y (expected: integer 0..65535)");
  }
}
