package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.reactivestreams.Publisher;

/**
 * The bytes and facts of one upload. The body must deliver exactly {@code contentLength} bytes;
 * stores that can verify the declared digests (S3 checks the SHA-256 and MD5 itself) reject a body
 * that does not match them with {@code CHECKSUM_MISMATCH}.
 *
 * @param contentLength exact body length in bytes
 * @param contentType media type, defaults to {@code application/octet-stream}
 * @param md5Hex lowercase MD5 hex of the body, if known
 * @param sha256Hex lowercase SHA-256 hex of the body, if known
 * @param cloudinaryVersion the Cloudinary version to record alongside the copy, if known
 * @param body the bytes, subscribed to once
 * @param condition when the store may write; {@link PutCondition#none()} by default
 */
public record PutRequest(
    long contentLength,
    String contentType,
    Optional<String> md5Hex,
    Optional<String> sha256Hex,
    OptionalLong cloudinaryVersion,
    Publisher<ByteBuffer> body,
    PutCondition condition) {
  /** Validates non-null components, a non-negative length and lowercase hex digests. */
  public PutRequest {
    if (contentLength < 0) {
      throw new IllegalArgumentException("contentLength: " + contentLength + " (expected: >= 0)");
    }
    requireNonNull(contentType, "contentType");
    requireNonNull(md5Hex, "md5Hex");
    requireNonNull(sha256Hex, "sha256Hex");
    requireNonNull(cloudinaryVersion, "cloudinaryVersion");
    requireNonNull(body, "body");
    requireNonNull(condition, "condition");
    md5Hex.ifPresent(v -> DocumentMeta.checkHex("md5Hex", v, DocumentMeta.MD5));
    sha256Hex.ifPresent(v -> DocumentMeta.checkHex("sha256Hex", v, DocumentMeta.SHA256));
  }

  /** A request without a precondition (the form before {@link PutCondition} existed). */
  public PutRequest(
      long contentLength,
      String contentType,
      Optional<String> md5Hex,
      Optional<String> sha256Hex,
      OptionalLong cloudinaryVersion,
      Publisher<ByteBuffer> body) {
    this(
        contentLength,
        contentType,
        md5Hex,
        sha256Hex,
        cloudinaryVersion,
        body,
        PutCondition.none());
  }

  /** Starts a request for a body of exactly {@code contentLength} bytes. */
  public static Builder builder(long contentLength, Publisher<ByteBuffer> body) {
    return new Builder(contentLength, body);
  }

  /** Builds a {@link PutRequest}; optional facts default to unknown. */
  public static final class Builder {
    private final long contentLength;
    private final Publisher<ByteBuffer> body;
    private String contentType = "application/octet-stream";
    private String md5Hex;
    private String sha256Hex;
    private OptionalLong cloudinaryVersion = OptionalLong.empty();
    private PutCondition condition = PutCondition.none();

    private Builder(long contentLength, Publisher<ByteBuffer> body) {
      this.contentLength = contentLength;
      this.body = requireNonNull(body, "body");
    }

    public Builder contentType(String value) {
      this.contentType = requireNonNull(value, "contentType");
      return this;
    }

    public Builder md5Hex(String value) {
      this.md5Hex = requireNonNull(value, "md5Hex");
      return this;
    }

    public Builder sha256Hex(String value) {
      this.sha256Hex = requireNonNull(value, "sha256Hex");
      return this;
    }

    public Builder cloudinaryVersion(long value) {
      this.cloudinaryVersion = OptionalLong.of(value);
      return this;
    }

    /** Makes the put conditional (see {@link PutCondition}). */
    public Builder condition(PutCondition value) {
      this.condition = requireNonNull(value, "condition");
      return this;
    }

    /**
     * @throws IllegalArgumentException when a value is out of range or a digest is not lowercase
     *     hex of the right length
     */
    public PutRequest build() {
      return new PutRequest(
          contentLength,
          contentType,
          Optional.ofNullable(md5Hex),
          Optional.ofNullable(sha256Hex),
          cloudinaryVersion,
          body,
          condition);
    }
  }
}
