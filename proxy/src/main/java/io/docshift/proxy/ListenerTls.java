package io.docshift.proxy;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.ListenerTlsConfig;
import io.docshift.core.store.Pem;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for one listener from a PEM certificate chain and PKCS#8 key: TLSv1.3 and TLSv1.2 with AEAD
 * ciphers only, ALPN {@code http/1.1}. The files are re-read at most once per check interval, when
 * a connection arrives: if their bytes changed, new connections get the new certificate, and
 * connections already open keep theirs (nothing is dropped). A pair that does not load (a
 * half-copied file, a key of another certificate) is logged and the previous one kept.
 */
public final class ListenerTls {
  /** How often a busy listener looks at its files. */
  public static final Duration DEFAULT_CHECK = Duration.ofSeconds(5);

  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /** TLSv1.3's suites (all AEAD) and TLSv1.2's forward-secret AEAD suites. */
  static final List<String> CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);

  private final Path certFile;
  private final Path keyFile;
  private final long checkNanos;
  private final LongSupplier nanoTime;
  private volatile Loaded current;
  private volatile long nextCheck;

  private record Loaded(byte[] cert, byte[] key, SslContext context) {}

  private ListenerTls(Path certFile, Path keyFile, Duration check, LongSupplier nanoTime) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.checkNanos = check.toNanos();
    this.nanoTime = nanoTime;
    this.current = load(Pem.read(certFile), Pem.read(keyFile));
    this.nextCheck = nanoTime.getAsLong() + checkNanos;
  }

  /** TLS as the {@code proxy.tls.*} or {@code admin.tls.*} keys say; empty for plain HTTP. */
  public static Optional<ListenerTls> of(ListenerTlsConfig config) {
    requireNonNull(config, "config");
    if (!config.enabled()) {
      return Optional.empty();
    }
    return Optional.of(
        start(config.certPath().orElseThrow(), config.keyPath().orElseThrow(), DEFAULT_CHECK));
  }

  /**
   * Loads the pair now and re-reads it at most every {@code check}.
   *
   * @throws IllegalArgumentException when the files do not make a TLS server context
   */
  public static ListenerTls start(Path certFile, Path keyFile, Duration check) {
    return start(certFile, keyFile, check, System::nanoTime);
  }

  static ListenerTls start(Path certFile, Path keyFile, Duration check, LongSupplier nanoTime) {
    requireNonNull(certFile, "certFile");
    requireNonNull(keyFile, "keyFile");
    requireNonNull(check, "check");
    return new ListenerTls(certFile, keyFile, check, requireNonNull(nanoTime, "nanoTime"));
  }

  /** A handler for one new server connection, with the current certificate. */
  public SslHandler newHandler(ByteBufAllocator alloc) {
    long now = nanoTime.getAsLong();
    if (now - nextCheck >= 0) {
      // Reading two small files once per interval on the accepting loop is cheaper than a
      // watcher thread of its own, and keeps the reload on the path that needs it.
      nextCheck = now + checkNanos;
      reloadIfChanged();
    }
    return current.context().newHandler(alloc);
  }

  /**
   * Re-reads the files and swaps the certificate when their bytes changed and load.
   *
   * @return whether a new certificate is now served
   */
  public synchronized boolean reloadIfChanged() {
    try {
      byte[] cert = Pem.read(certFile);
      byte[] key = Pem.read(keyFile);
      Loaded old = current;
      if (Arrays.equals(cert, old.cert()) && Arrays.equals(key, old.key())) {
        return false;
      }
      current = load(cert, key);
      LOG.info("TLS certificate reloaded from {}", certFile);
      return true;
    } catch (IllegalArgumentException e) {
      LOG.warn("TLS certificate not reloaded, keeping the previous one: {}", e.getMessage());
      return false;
    }
  }

  private Loaded load(byte[] cert, byte[] key) {
    // The JDK provider would take a key of another certificate and fail every handshake.
    if (!Pem.matches(Pem.certificates(cert, certFile).get(0), Pem.privateKey(key, keyFile))) {
      throw new IllegalArgumentException(keyFile + ": not the key of " + certFile);
    }
    try {
      SslContext context =
          SslContextBuilder.forServer(new ByteArrayInputStream(cert), new ByteArrayInputStream(key))
              .protocols(PROTOCOLS)
              .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
              .applicationProtocolConfig(
                  new ApplicationProtocolConfig(
                      Protocol.ALPN,
                      SelectorFailureBehavior.NO_ADVERTISE,
                      SelectedListenerFailureBehavior.ACCEPT,
                      ApplicationProtocolNames.HTTP_1_1))
              .build();
      return new Loaded(cert, key, context);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          certFile + ", " + keyFile + ": not a TLS certificate chain and key: " + e.getMessage(),
          e);
    }
  }
}
