package io.docshift.sandbox.emulator;

import java.util.List;

/**
 * What an upload knows about a new original besides its bytes.
 *
 * @param format stored format for image/video, {@code null} for raw
 * @param width pixel width when cheaply readable, else {@code null}
 * @param height pixel height when cheaply readable, else {@code null}
 * @param originalFilename client file name without extension
 * @param tags tags to record
 * @param accessMode {@code authenticated}, or {@code null} for public (Upload API {@code
 *     access_mode})
 */
record AssetDetails(
    String format,
    Integer width,
    Integer height,
    String originalFilename,
    List<String> tags,
    String accessMode) {

  /** A public asset's details. */
  AssetDetails(
      String format, Integer width, Integer height, String originalFilename, List<String> tags) {
    this(format, width, height, originalFilename, tags, null);
  }
}
