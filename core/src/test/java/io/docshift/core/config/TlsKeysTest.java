package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docshift.core.store.StoreTrust;
import io.docshift.testkit.TestCa;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS keys are checked when the config is built (so by {@code docshift config check}): each
 * file must exist and hold what its key needs, a listener's two files come together, and the key
 * must be the leaf certificate's.
 */
class TlsKeysTest {
  private static final String CERTIFICATES =
      "(expected: empty, or a readable PEM file of certificates)";
  private static final String KEY =
      "(expected: empty, or a readable PEM file with an unencrypted PKCS#8 private key (BEGIN"
          + " PRIVATE KEY))";

  @TempDir Path dir;

  private final TestCa ca = TestCa.create("config test CA");

  private static List<String> errors(DocShiftConfig.Builder builder) {
    return assertThrows(ConfigException.class, builder::build).errors();
  }

  private Path[] pair(String name) {
    Path cert = dir.resolve(name + ".pem");
    Path key = dir.resolve(name + ".key");
    ca.issue().writePem(cert, key);
    return new Path[] {cert, key};
  }

  @Test
  void everyTlsKeyDefaultsToEmptyThatIsPlainHttpAndTheJdksTrust() {
    DocShiftConfig config = DocShiftConfig.builder().override("s3.bucket", "docs").build();

    assertThat(config.proxyTls()).isEqualTo(ListenerTlsConfig.OFF);
    assertThat(config.adminTls().enabled()).isFalse();
    assertThat(StoreSettings.s3(config.s3()).build().trust()).isEqualTo(StoreTrust.system());
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy", "admin"})
  void aListenerWithAMatchingPairServesTls(String section) {
    Path[] pair = pair(section);

    DocShiftConfig config =
        DocShiftConfig.builder()
            .override(section + ".tls.certFile", pair[0].toString())
            .override(section + ".tls.keyFile", pair[1].toString())
            .build();

    ListenerTlsConfig tls = section.equals("proxy") ? config.proxyTls() : config.adminTls();
    assertThat(tls.enabled()).isTrue();
    assertThat(tls.certPath()).contains(pair[0]);
    assertThat(tls.keyPath()).contains(pair[1]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy", "admin"})
  void aMissingOrWrongFileIsNamedWithWhatItMustHold(String section) {
    Path[] pair = pair(section);
    String missing = dir.resolve("missing.pem").toString();

    assertThat(
            errors(
                DocShiftConfig.builder()
                    .override(section + ".tls.certFile", missing)
                    .override(section + ".tls.keyFile", pair[0].toString())))
        .containsExactly(
            section + ".tls.certFile: " + missing + " " + CERTIFICATES,
            section + ".tls.keyFile: " + pair[0] + " " + KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy", "admin"})
  void bothFilesOfAListenerAreSetTogether(String section) {
    Path[] pair = pair(section);

    assertThat(
            errors(
                DocShiftConfig.builder().override(section + ".tls.certFile", pair[0].toString())))
        .containsExactly(
            section
                + ".tls.keyFile:  (expected: non-empty when "
                + section
                + ".tls.certFile is set)");
    assertThat(
            errors(DocShiftConfig.builder().override(section + ".tls.keyFile", pair[1].toString())))
        .containsExactly(
            section
                + ".tls.certFile:  (expected: non-empty when "
                + section
                + ".tls.keyFile is set)");
  }

  @Test
  void theKeyMustBeTheLeafCertificatesOwn() {
    Path[] one = pair("one");
    Path[] other = pair("other");

    assertThat(
            errors(
                DocShiftConfig.builder()
                    .override("proxy.tls.certFile", one[0].toString())
                    .override("proxy.tls.keyFile", other[1].toString())))
        .containsExactly(
            "proxy.tls.keyFile: "
                + other[1]
                + " (expected: the private key of proxy.tls.certFile's first certificate)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3", "cloudinary"})
  void aStoreCaFileMustHoldCertificates(String section) {
    Path[] pair = pair(section);

    assertThat(errors(DocShiftConfig.builder().override(section + ".caFile", pair[1].toString())))
        .containsExactly(section + ".caFile: " + pair[1] + " " + CERTIFICATES);
  }

  @Test
  void theStoreCaFilesBecomeTheStoresTrust() {
    Path ca1 = ca.writeCaPem(dir.resolve("s3-ca.pem"));
    Path ca2 = ca.writeCaPem(dir.resolve("cloudinary-ca.pem"));

    DocShiftConfig config =
        DocShiftConfig.builder()
            .override("s3.caFile", ca1.toString())
            .override("s3.bucket", "docs")
            .override("cloudinary.caFile", ca2.toString())
            .override("cloudinary.cloudName", "demo")
            .override("cloudinary.apiKey", "key")
            .override("cloudinary.apiSecret", "secret")
            .build();

    assertThat(StoreSettings.s3(config.s3()).build().trust().caFile()).contains(ca1);
    assertThat(StoreSettings.cloudinaryAccount(config.cloudinary()).trust().caFile()).contains(ca2);
    assertThat(StoreSettings.cloudinaryAccount(config.cloudinary()).trust().trustManagers())
        .isPresent();
  }
}
