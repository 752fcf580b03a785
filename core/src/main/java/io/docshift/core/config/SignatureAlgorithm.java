package io.docshift.core.config;

/** Hash used for Cloudinary API request signatures ({@code signature_algorithm}). */
public enum SignatureAlgorithm {
  /** SHA-1, Cloudinary's default. */
  SHA1,
  /** SHA-256, for accounts locked to it. */
  SHA256
}
