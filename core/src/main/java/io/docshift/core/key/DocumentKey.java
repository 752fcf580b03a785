package io.docshift.core.key;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Identifies one stored original: {@code {cloud, resource_type, type, public_id}} plus the format
 * for image and video, where Cloudinary keeps it outside the public_id. For {@code raw} the
 * extension is part of the public_id and {@link #format()} is always empty.
 *
 * <p>Immutable and validated: every instance has a canonical public_id (no traversal, no empty,
 * leading or trailing segment, no control characters, no surrounding whitespace), so its {@link
 * #s3Key(String)} is safe to use as an object name. Equality includes the format; use {@link
 * #stickyId()} to compare documents regardless of the requested format.
 */
public final class DocumentKey {
  private final String cloud;
  private final ResourceType resourceType;
  private final DeliveryType type;
  private final String publicId;
  private final String format;

  private DocumentKey(
      String cloud, ResourceType resourceType, DeliveryType type, String publicId, String format) {
    this.cloud = cloud;
    this.resourceType = resourceType;
    this.type = type;
    this.publicId = publicId;
    this.format = format;
  }

  /**
   * Creates a key from already-decoded components.
   *
   * @param format the format for image/video, or {@code null} when unknown; must be {@code null}
   *     for raw, whose extension lives in the public_id
   * @throws InvalidDocumentKeyException when a component is not canonical
   */
  public static DocumentKey of(
      String cloud, ResourceType resourceType, DeliveryType type, String publicId, String format) {
    requireNonNull(cloud, "cloud");
    requireNonNull(resourceType, "resourceType");
    requireNonNull(type, "type");
    requireNonNull(publicId, "publicId");
    if (format != null && !resourceType.formatOutsidePublicId()) {
      throw KeyRules.malformed(
          "format "
              + KeyRules.show(format)
              + " given for raw (expected: the extension inside the public_id)");
    }
    return new DocumentKey(
        KeyRules.checkCloud(cloud),
        resourceType,
        type,
        KeyRules.checkPublicId(publicId),
        KeyRules.checkFormat(format));
  }

  /** The same document with another (or no) format; raw keys accept only {@code null}. */
  public DocumentKey withFormat(String newFormat) {
    return of(cloud, resourceType, type, publicId, newFormat);
  }

  public String cloud() {
    return cloud;
  }

  public ResourceType resourceType() {
    return resourceType;
  }

  public DeliveryType type() {
    return type;
  }

  /** The public_id, decoded; includes the extension for raw. */
  public String publicId() {
    return publicId;
  }

  /** The format kept outside the public_id (image/video), empty for raw or when unknown. */
  public Optional<String> format() {
    return Optional.ofNullable(format);
  }

  /** The public_id as Cloudinary names the file: {@code public_id[.format]}. */
  public String fileName() {
    return format == null ? publicId : publicId + "." + format;
  }

  /** {@code {cloud}/{resource_type}/{type}/{public_id}}: the document, whatever its format. */
  public String stickyId() {
    return cloud + "/" + resourceType.wireName() + "/" + type.wireName() + "/" + publicId;
  }

  /**
   * The sticky read bucket in {@code [0, 100)}: unsigned MurmurHash3 x86_32 (seed 0) of the UTF-8
   * bytes of {@link #stickyId()}, modulo 100. A document goes to S3 iff its bucket is below the S3
   * read percentage, so raising the percentage only ever adds documents.
   */
  public int stickyBucket() {
    return bucket(0);
  }

  /**
   * A bucket in {@code [0, 100)} computed like {@link #stickyBucket()} but with another MurmurHash3
   * {@code seed}; seed 0 is the sticky bucket. Buckets of different seeds are independent, so a
   * sample drawn with one (the shadow-read sample) neither favours nor avoids the documents the
   * routing bucket sends to S3. Deterministic: the same document always gets the same bucket.
   */
  public int bucket(int seed) {
    int hash = Murmur3.hash32(stickyId().getBytes(StandardCharsets.UTF_8), seed);
    return (int) (Integer.toUnsignedLong(hash) % 100);
  }

  /**
   * The S3 object key: {@code {prefix}{cloud}/{resource_type}/{type}/{public_id}} plus {@code
   * .{format}} for image and video. A key without a known format maps to the name without an
   * extension, so callers that know the stored original's format must set it first.
   */
  public String s3Key(String keyPrefix) {
    requireNonNull(keyPrefix, "keyPrefix");
    String base = keyPrefix + stickyId();
    return format == null ? base : base + "." + format;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DocumentKey)) {
      return false;
    }
    DocumentKey other = (DocumentKey) o;
    return cloud.equals(other.cloud)
        && resourceType == other.resourceType
        && type == other.type
        && publicId.equals(other.publicId)
        && Objects.equals(format, other.format);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cloud, resourceType, type, publicId, format);
  }

  @Override
  public String toString() {
    return format == null ? stickyId() : stickyId() + "." + format;
  }
}
