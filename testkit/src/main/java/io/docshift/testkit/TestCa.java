package io.docshift.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time (no private key is ever committed): an EC P-256 root
 * that issues server certificates for {@code localhost} and {@code 127.0.0.1}, written as the PEM
 * files DocShift is configured with, or as a PKCS#12 key store for servers that want one.
 */
public final class TestCa {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestCa(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new self-signed root named {@code CN=name}. */
  public static TestCa create(String name) {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder = builder(subject, subject, keys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new TestCa(keys, sign(builder, keys.getPrivate()));
  }

  /** The root certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes the root as a PEM CA bundle. */
  public Path writeCaPem(Path file) {
    return write(file, pem("CERTIFICATE", encoded(certificate)));
  }

  /** A server certificate for {@code localhost} and {@code 127.0.0.1}, with a fresh serial. */
  public Issued issue() {
    KeyPair leaf = keyPair();
    X509v3CertificateBuilder builder =
        builder(new X500Name("CN=localhost"), X500Name.getInstance(subject()), leaf);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new Issued(sign(builder, keys.getPrivate()), leaf.getPrivate(), certificate);
  }

  private byte[] subject() {
    return certificate.getSubjectX500Principal().getEncoded();
  }

  /**
   * One issued server certificate and its key.
   *
   * @param certificate the leaf
   * @param key its private key
   * @param issuer the CA's root
   */
  public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {
    /** The leaf's serial number, to tell two certificates apart on the wire. */
    public BigInteger serial() {
      return certificate.getSerialNumber();
    }

    /** Writes the chain (leaf, then root) and the PKCS#8 key as PEM. */
    public void writePem(Path certFile, Path keyFile) {
      write(
          certFile, pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(issuer)));
      write(keyFile, pem("PRIVATE KEY", key.getEncoded()));
    }

    /** Writes a PKCS#12 key store holding the key and chain under alias {@code server}. */
    public Path writePkcs12(Path file, String password) {
      try (OutputStream out = Files.newOutputStream(file)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(
            "server",
            key,
            password.toCharArray(),
            new java.security.cert.Certificate[] {certificate, issuer});
        store.store(out, password.toCharArray());
        return file;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot write " + file + ": " + e, e);
      }
    }
  }

  private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, RANDOM).setBit(63),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(2))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test certificate: " + e, e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text, US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e, e);
    }
  }
}
