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
    List<String> tags) {

  Asset {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  AssetKey key() {
    return new AssetKey(resourceType, type, publicId);
  }
}
