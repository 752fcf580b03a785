package io.docshift.sandbox.emulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The metadata sidecar of one stored original; persisted as JSON next to the bytes so a restart on
 * the same directory keeps everything.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Asset(
    String assetId,
    String publicId,
    String resourceType,
    String type,
    String format,
    long version,
    String versionId,
    long bytes,
    String etag,
    long createdAt,
    Integer width,
    Integer height,
    String originalFilename,
    List<String> tags,
    String accessMode) {

  Asset {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** {@code public} or {@code authenticated}; sidecars written before it existed are public. */
  String accessModeOrPublic() {
    return accessMode == null ? "public" : accessMode;
  }

  /** Whether delivery of this asset needs a signed URL although its type may be {@code upload}. */
  boolean authenticatedAccess() {
    return "authenticated".equals(accessMode);
  }

  /** This asset with another access mode (same bytes, version and ids). */
  Asset withAccessMode(String mode) {
    return new Asset(
        assetId,
        publicId,
        resourceType,
        type,
        format,
        version,
        versionId,
        bytes,
        etag,
        createdAt,
        width,
        height,
        originalFilename,
        tags,
        mode);
  }

  AssetKey key() {
    return new AssetKey(resourceType, type, publicId);
  }
}
