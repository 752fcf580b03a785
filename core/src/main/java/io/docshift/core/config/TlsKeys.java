package io.docshift.core.config;

import io.docshift.core.store.Pem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The TLS keys: the PEM files each listener serves TLS with ({@code proxy.tls.*}, {@code
 * admin.tls.*}) and the CA bundles the stores' certificates must chain to ({@code
 * cloudinary.caFile}, {@code s3.caFile}). Files are read when the config is validated, so {@code
 * docshift config check} names a missing or wrong file before anything starts. Kept apart from
 * {@link Settings} so the catalog stays readable.
 */
final class TlsKeys {
  private static final ValueType CERTIFICATES =
      pemFile("empty, or a readable PEM file of certificates", Pem::certificates);
  private static final ValueType PRIVATE_KEY =
      pemFile(
          "empty, or a readable PEM file with an unencrypted PKCS#8 private key (BEGIN PRIVATE"
              + " KEY)",
          Pem::privateKey);

  private TlsKeys() {}

  static void cloudinary(List<Setting> all) {
    all.add(caFile("cloudinary", "Cloudinary's certificates (API and delivery)"));
  }

  static void s3(List<Setting> all) {
    all.add(caFile("s3", "the S3 endpoint's certificate"));
  }

  static void proxy(List<Setting> all) {
    listener(all, "proxy", "the proxy listener");
  }

  static void admin(List<Setting> all) {
    listener(all, "admin", "the admin listener (admin API, console, probes)");
  }

  private static Setting caFile(String section, String store) {
    return new Setting(
        section + ".caFile",
        "",
        "PEM bundle of the CAs "
            + store
            + " must chain to, replacing the JDK's default ones (e.g. a private CA);"
            + " empty = the JDK's. Verification is always on.",
        CERTIFICATES,
        false);
  }

  private static void listener(List<Setting> all, String section, String what) {
    all.add(
        new Setting(
            section + ".tls.certFile",
            "",
            "TLS certificate chain (PEM, leaf first) for HTTPS on "
                + what
                + " (TLSv1.3/1.2, AEAD ciphers, ALPN http/1.1); re-read when the"
                + " file changes, for new connections; empty = plain HTTP.",
            CERTIFICATES,
            false));
    all.add(
        new Setting(
            section + ".tls.keyFile",
            "",
            "Private key (unencrypted PKCS#8 PEM) of "
                + section
                + ".tls.certFile; set both or neither.",
            PRIVATE_KEY,
            false));
  }

  /** The listener section from validated values. */
  static ListenerTlsConfig read(Map<String, String> values, String section) {
    return new ListenerTlsConfig(
        values.get(section + ".tls.certFile"), values.get(section + ".tls.keyFile"));
  }

  /** Problems spanning keys: a listener's two files set together, the key the leaf's. */
  static void crossCheck(Map<String, String> values, Consumer<String> errors) {
    for (String section : List.of("proxy", "admin")) {
      String cert = values.get(section + ".tls.certFile");
      String key = values.get(section + ".tls.keyFile");
      String keyProblem = section + ".tls.keyFile: " + key + " (expected: ";
      if (cert.isEmpty() != key.isEmpty()) {
        errors.accept(
            cert.isEmpty()
                ? section
                    + ".tls.certFile:  (expected: non-empty when "
                    + section
                    + ".tls.keyFile is set)"
                : keyProblem + "non-empty when " + section + ".tls.certFile is set)");
      } else if (!cert.isEmpty() && !matches(Path.of(cert), Path.of(key))) {
        errors.accept(
            keyProblem
                + "the private key of "
                + section
                + ".tls.certFile's first"
                + " certificate)");
      }
    }
  }

  private static boolean matches(Path certFile, Path keyFile) {
    return Pem.matches(Pem.certificates(certFile).get(0), Pem.privateKey(keyFile));
  }

  /** Empty, or a path whose file {@code parse} takes. */
  private static ValueType pemFile(String expected, Function<Path, ?> parse) {
    return ValueType.simple(expected, value -> value.isEmpty() || parses(value, parse));
  }

  private static boolean parses(String value, Function<Path, ?> parse) {
    try {
      parse.apply(Path.of(value));
      return true;
    } catch (IllegalArgumentException e) {
      // InvalidPathException is an IllegalArgumentException too: a bad path is not accepted.
      return false;
    }
  }
}
