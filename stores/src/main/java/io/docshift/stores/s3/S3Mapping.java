package io.docshift.stores.s3;

import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.PutRequest;
import io.docshift.stores.http.HeaderValues;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** Translates between DocShift's metadata and S3 object headers/user metadata (fixed contract). */
final class S3Mapping {
  static final String MD5 = "md5";
  static final String SHA256 = "sha256";
  static final String CLOUDINARY_VERSION = "cloudinary-version";
  private static final String DEFAULT_TYPE = "application/octet-stream";
  private static final String USER_META = "x-amz-meta-";
  private static final String LENGTH = "Content-Length";

  private S3Mapping() {}

  static Map<String, String> metadata(PutRequest request) {
    Map<String, String> metadata = new HashMap<>();
    request.md5Hex().ifPresent(v -> metadata.put(MD5, v));
    request.sha256Hex().ifPresent(v -> metadata.put(SHA256, v));
    request.cloudinaryVersion().ifPresent(v -> metadata.put(CLOUDINARY_VERSION, Long.toString(v)));
    return metadata;
  }

  /**
   * The headers of a PUT of {@code request} as the SDK's {@code PutObjectRequest} sends them: type,
   * {@code Content-MD5} and {@code x-amz-checksum-sha256} of the digests known, the user metadata,
   * and the condition ({@code If-None-Match: *} or {@code If-Match}).
   */
  static Map<String, String> putHeaders(PutRequest request) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", request.contentType());
    request.md5Hex().ifPresent(md5 -> headers.put("Content-MD5", base64OfHex(md5)));
    request.sha256Hex().ifPresent(sha -> headers.put("x-amz-checksum-sha256", base64OfHex(sha)));
    metadata(request).forEach((name, value) -> headers.put(USER_META + name, value));
    if (request.condition().requireAbsent()) {
      headers.put("If-None-Match", "*");
    }
    request.condition().requireEtag().ifPresent(etag -> headers.put("If-Match", etag));
    return headers;
  }

  /** The metadata of an object already stored as {@code current}, now at {@code version}. */
  static Map<String, String> metadata(DocumentMeta current, long version) {
    Map<String, String> metadata = new HashMap<>();
    current.md5Hex().ifPresent(v -> metadata.put(MD5, v));
    current.sha256Hex().ifPresent(v -> metadata.put(SHA256, v));
    metadata.put(CLOUDINARY_VERSION, Long.toString(version));
    return metadata;
  }

  static DocumentMeta meta(HeadObjectResponse r) {
    return meta(
        r.contentLength(),
        r.contentType(),
        r.eTag(),
        r.metadata(),
        Optional.ofNullable(r.lastModified()));
  }

  /** For a ranged GET the full length is the Content-Range total, not the part's length. */
  static DocumentMeta meta(GetObjectResponse r) {
    Long length = contentRange(r).map(ContentRange::total).orElse(r.contentLength());
    return meta(
        length, r.contentType(), r.eTag(), r.metadata(), Optional.ofNullable(r.lastModified()));
  }

  static Optional<ContentRange> contentRange(GetObjectResponse r) {
    return ContentRange.parse(r.contentRange());
  }

  /**
   * The metadata of a HEAD or GET answer read from its raw headers ({@code header} looks one up by
   * name, case-insensitively), as the SDK's response objects give it: user metadata from {@code
   * x-amz-meta-*}, the full length of a ranged answer from its {@code Content-Range}.
   */
  static DocumentMeta meta(Function<String, String> header, Optional<ContentRange> range) {
    OptionalLong length =
        range.isPresent()
            ? OptionalLong.of(range.get().total())
            : HeaderValues.number(header.apply(LENGTH));
    Map<String, String> metadata = new HashMap<>(4);
    for (String name : new String[] {MD5, SHA256, CLOUDINARY_VERSION}) {
      String value = header.apply(USER_META + name);
      if (value != null) {
        metadata.put(name, value);
      }
    }
    return meta(
        length,
        header.apply("Content-Type"),
        header.apply("ETag"),
        metadata,
        HeaderValues.date(header.apply("Last-Modified")));
  }

  private static DocumentMeta meta(
      Long length,
      String type,
      String etag,
      Map<String, String> metadata,
      Optional<Instant> modified) {
    return meta(
        length == null ? OptionalLong.empty() : OptionalLong.of(length),
        type,
        etag,
        metadata,
        modified);
  }

  private static DocumentMeta meta(
      OptionalLong length,
      String type,
      String etag,
      Map<String, String> metadata,
      Optional<Instant> modified) {
    Optional<String> md5 = DocumentMeta.md5FromEtag(metadata.get(MD5));
    if (md5.isEmpty()) {
      // Objects written by other tools: a single-part PUT's ETag is the MD5 of the bytes.
      md5 = DocumentMeta.md5FromEtag(etag);
    }
    return new DocumentMeta(
        length,
        type == null ? DEFAULT_TYPE : type,
        md5,
        DocumentMeta.sha256Hex(metadata.get(SHA256)),
        HeaderValues.number(metadata.get(CLOUDINARY_VERSION)),
        modified);
  }

  /** Base64 of the digest bytes written as hex: the form S3 checksum headers take. */
  static String base64OfHex(String hex) {
    return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }
}
