package io.docshift.core.store;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files TLS is configured with: certificates ({@code BEGIN CERTIFICATE}, one or more)
 * and one unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}). Each method fails with an
 * {@link IllegalArgumentException} saying what the file lacks, so a wrong file is named before any
 * connection is made.
 */
public final class Pem {
  private static final Pattern KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

  private Pem() {}

  /** The certificates in {@code file}, in file order; at least one. */
  public static List<X509Certificate> certificates(Path file) {
    return certificates(read(file), file);
  }

  /** The certificates in {@code bytes} read from {@code file}, in order; at least one. */
  public static List<X509Certificate> certificates(byte[] bytes, Path file) {
    try {
      List<X509Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes))
              .stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(file + ": no PEM certificate");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + ": not PEM certificates: " + e.getMessage(), e);
    }
  }

  /** The one unencrypted PKCS#8 private key in {@code file} (RSA, EC or EdDSA). */
  public static PrivateKey privateKey(Path file) {
    return privateKey(read(file), file);
  }

  /** The one unencrypted PKCS#8 private key in {@code bytes} read from {@code file}. */
  public static PrivateKey privateKey(byte[] bytes, Path file) {
    Matcher matcher = KEY.matcher(new String(bytes, US_ASCII));
    if (!matcher.find()) {
      throw new IllegalArgumentException(file + ": no unencrypted PKCS#8 PEM private key");
    }
    byte[] der = Base64.getMimeDecoder().decode(matcher.group(1).strip());
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Not this algorithm: PKCS#8 names it inside the DER, trying each is simpler than parsing.
      }
    }
    throw new IllegalArgumentException(file + ": PKCS#8 key of no supported algorithm");
  }

  /** Whether {@code key} signs what {@code certificate}'s public key verifies (a matching pair). */
  public static boolean matches(X509Certificate certificate, PrivateKey key) {
    PublicKey leaf = certificate.getPublicKey();
    if (!leaf.getAlgorithm().equals(key.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = "docshift-key-check".getBytes(US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The file's bytes; unreadable is an {@link IllegalArgumentException} naming it. */
  public static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
