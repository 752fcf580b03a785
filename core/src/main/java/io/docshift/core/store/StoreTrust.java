package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which certificate authorities a store's TLS certificate must chain to: the JDK's default trust
 * store, or the CA bundle of a PEM file (the whole trust for that store, for a private CA in front
 * of MinIO or a CDN). Verification is always on: there is no way to trust every certificate. The
 * same trust feeds every client of a store (Netty's, the JDK's and the AWS SDK's), so they cannot
 * disagree.
 */
public final class StoreTrust {
  private static final StoreTrust SYSTEM = new StoreTrust(Optional.empty(), null);
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private final Optional<Path> caFile;
  private final TrustManagerFactory trustManagers;

  private StoreTrust(Optional<Path> caFile, TrustManagerFactory trustManagers) {
    this.caFile = caFile;
    this.trustManagers = trustManagers;
  }

  /** The JDK's default trust store. */
  public static StoreTrust system() {
    return SYSTEM;
  }

  /**
   * The configured trust: {@link #system()} for an empty {@code caFile}, else the certificates of
   * that PEM file.
   *
   * @throws IllegalArgumentException when the file is unreadable or holds no certificate
   */
  public static StoreTrust of(String caFile) {
    requireNonNull(caFile, "caFile");
    return caFile.isEmpty() ? SYSTEM : caBundle(Path.of(caFile));
  }

  /** Trusts exactly the certificates of the PEM file {@code caFile}. */
  public static StoreTrust caBundle(Path caFile) {
    requireNonNull(caFile, "caFile");
    List<X509Certificate> authorities = Pem.certificates(caFile);
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return new StoreTrust(Optional.of(caFile), factory);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException(caFile + ": cannot build a trust store: " + e, e);
    }
  }

  /** The CA bundle, when one is configured. */
  public Optional<Path> caFile() {
    return caFile;
  }

  /** The custom trust managers, empty for the JDK default (for the AWS SDK's provider hook). */
  public Optional<TrustManager[]> trustManagers() {
    return Optional.ofNullable(trustManagers).map(TrustManagerFactory::getTrustManagers);
  }

  /** The custom trust manager factory, empty for the JDK default (for Netty's client context). */
  public Optional<TrustManagerFactory> trustManagerFactory() {
    return Optional.ofNullable(trustManagers);
  }

  /** The TLS versions a store connection may use: TLSv1.3 and TLSv1.2. */
  public static String[] protocols() {
    return PROTOCOLS.clone();
  }

  /** A JDK context for {@link java.net.http.HttpClient} (which verifies host names itself). */
  public SSLContext jdk() {
    try {
      if (trustManagers == null) {
        return SSLContext.getDefault();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** Equal when both trust the same CA file (or both the JDK default). */
  @Override
  public boolean equals(Object other) {
    return other instanceof StoreTrust trust && caFile.equals(trust.caFile);
  }

  @Override
  public int hashCode() {
    return Objects.hash(caFile);
  }

  @Override
  public String toString() {
    return caFile.map(f -> "StoreTrust[caFile=" + f + "]").orElse("StoreTrust[system]");
  }
}
