package io.docshift.stores.s3;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What S3 says about one stored object, without reading it.
 *
 * @param key the full object key (prefix included)
 * @param size the object's length in bytes
 * @param etag the ETag as S3 sent it (quoted), for {@code If-Match}; empty when S3 sent none
 * @param etagMd5 the MD5 S3 computed over the stored bytes: the ETag when it is a plain MD5 (a
 *     single-part upload), empty otherwise (multipart)
 * @param metadataMd5 the {@code md5} DocShift recorded in the object's metadata when it wrote it;
 *     empty for listings (they carry no metadata) and objects written by other tools
 * @param cloudinaryVersion the {@code cloudinary-version} metadata, when present
 * @param lastModified when S3 last wrote the object, when it said
 */
public record S3ObjectInfo(
    String key,
    long size,
    Optional<String> etag,
    Optional<String> etagMd5,
    Optional<String> metadataMd5,
    OptionalLong cloudinaryVersion,
    Optional<Instant> lastModified) {
  /** Validates that no component is null. */
  public S3ObjectInfo {
    requireNonNull(key, "key");
    requireNonNull(etag, "etag");
    requireNonNull(etagMd5, "etagMd5");
    requireNonNull(metadataMd5, "metadataMd5");
    requireNonNull(cloudinaryVersion, "cloudinaryVersion");
    requireNonNull(lastModified, "lastModified");
  }
}
