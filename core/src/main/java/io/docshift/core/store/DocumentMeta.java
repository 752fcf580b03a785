package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a store knows about one original.
 *
 * @param length full length in bytes, empty when the backend did not say
 * @param contentType the media type, {@code application/octet-stream} when unknown
 * @param md5Hex lowercase MD5 hex of the original: the ETag served to clients (a fixed contract)
 * @param sha256Hex lowercase SHA-256 hex, when the store recorded it
 * @param version the Cloudinary version (upload unix time), when known
 * @param lastModified when the backend last wrote it, when known
 */
public record DocumentMeta(
    OptionalLong length,
    String contentType,
    Optional<String> md5Hex,
    Optional<String> sha256Hex,
    OptionalLong version,
    Optional<Instant> lastModified) {
  static final int MD5 = 32;
  static final int SHA256 = 64;

  /** Validates: non-null components, non-negative length, lowercase hex digests. */
  public DocumentMeta {
    requireNonNull(length, "length");
    requireNonNull(contentType, "contentType");
    requireNonNull(md5Hex, "md5Hex");
    requireNonNull(sha256Hex, "sha256Hex");
    requireNonNull(version, "version");
    requireNonNull(lastModified, "lastModified");
    if (length.isPresent() && length.getAsLong() < 0) {
      throw new IllegalArgumentException("length: " + length.getAsLong() + " (expected: >= 0)");
    }
    md5Hex.ifPresent(v -> checkHex("md5Hex", v, MD5));
    sha256Hex.ifPresent(v -> checkHex("sha256Hex", v, SHA256));
  }

  /** The ETag value for HTTP responses, {@code "<md5>"} with quotes, when the MD5 is known. */
  public Optional<String> etag() {
    return md5Hex.map(md5 -> "\"" + md5 + "\"");
  }

  /** Checks {@code value} is {@code digits} lowercase hex digits (MD5 32, SHA-256 64). */
  static void checkHex(String name, String value, int digits) {
    if (!isLowerHex(value, digits)) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: lowercase hex of " + digits + ")");
    }
  }

  /** A loop, not a regex: every response's digests pass here. */
  private static boolean isLowerHex(String value, int digits) {
    if (value.length() != digits) {
      return false;
    }
    for (int i = 0; i < digits; i++) {
      char c = value.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * The MD5 hex inside an HTTP or S3 ETag ({@code "<32 hex>"}, quoted or not, any case), or empty
   * when the ETag is not a plain MD5 (multipart {@code "...-3"}, weak, absent).
   */
  public static Optional<String> md5FromEtag(String etag) {
    if (etag == null) {
      return Optional.empty();
    }
    String bare = etag.strip();
    if (bare.length() >= 2 && bare.startsWith("\"") && bare.endsWith("\"")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    String lower = bare.toLowerCase(Locale.ROOT);
    return isLowerHex(lower, MD5) ? Optional.of(lower) : Optional.empty();
  }

  /** The lowercase SHA-256 hex in {@code value} if it is one (any case), else empty. */
  public static Optional<String> sha256Hex(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String lower = value.strip().toLowerCase(Locale.ROOT);
    return isLowerHex(lower, SHA256) ? Optional.of(lower) : Optional.empty();
  }
}
