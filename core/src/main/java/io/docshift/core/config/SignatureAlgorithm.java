package io.docshift.core.config;

/**
 * Digest used for Cloudinary signatures. SHA-1 is the SDK default; an account can be locked to
 * SHA-256 (config {@code signature_algorithm=sha256}).
 */
public enum SignatureAlgorithm {
  SHA1("SHA-1"),
  SHA256("SHA-256");

  private final String jcaName;

  SignatureAlgorithm(String jcaName) {
    this.jcaName = jcaName;
  }

  /** The {@link java.security.MessageDigest} algorithm name. */
  public String jcaName() {
    return jcaName;
  }
}
