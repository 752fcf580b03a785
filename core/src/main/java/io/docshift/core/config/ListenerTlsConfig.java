package io.docshift.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code proxy.tls.*} or {@code admin.tls.*} keys: the PEM files a listener serves TLS with.
 * Both are set (TLS on) or both empty (plain HTTP); the validator sees to that and to their
 * contents.
 *
 * @param certFile certificate chain, leaf first; empty for plain HTTP
 * @param keyFile the leaf's unencrypted PKCS#8 private key; empty for plain HTTP
 */
public record ListenerTlsConfig(String certFile, String keyFile) {
  /** Plain HTTP. */
  public static final ListenerTlsConfig OFF = new ListenerTlsConfig("", "");

  /** Whether the listener serves TLS. */
  public boolean enabled() {
    return !certFile.isEmpty();
  }

  /** The certificate chain file, when TLS is on. */
  public Optional<Path> certPath() {
    return enabled() ? Optional.of(Path.of(certFile)) : Optional.empty();
  }

  /** The private key file, when TLS is on. */
  public Optional<Path> keyPath() {
    return enabled() ? Optional.of(Path.of(keyFile)) : Optional.empty();
  }
}
