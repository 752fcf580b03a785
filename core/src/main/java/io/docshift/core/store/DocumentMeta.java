package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

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
  static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
  static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

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

  static void checkHex(String name, String value, Pattern pattern) {
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: lowercase hex of " + (pattern == MD5 ? 32 : 64) + ")");
    }
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
    return MD5.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
  }

  /** The lowercase SHA-256 hex in {@code value} if it is one (any case), else empty. */
  public static Optional<String> sha256Hex(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String lower = value.strip().toLowerCase(Locale.ROOT);
    return SHA256.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
  }
}
