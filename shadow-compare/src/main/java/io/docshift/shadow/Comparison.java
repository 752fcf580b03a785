package io.docshift.shadow;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether two reads of one original agree: the same status, and for a found document the
 * same length, media type (parameters and case ignored: {@code application/pdf; charset=x} is
 * {@code application/pdf}) and checksum: CRC-32C, and MD5 too when both reads computed it. The
 * first difference found names the result.
 */
final class Comparison {
  static final String STATUS = "status differs";
  static final String LENGTH = "length differs";
  static final String CONTENT_TYPE = "content type differs";
  static final String CHECKSUM = "checksum differs";

  private Comparison() {}

  /** The first way {@code a} and {@code b} differ, or empty when they agree. */
  static Optional<String> difference(ReadSummary a, ReadSummary b) {
    if (a.status() != b.status()) {
      return Optional.of(STATUS);
    }
    if (!a.found()) {
      return Optional.empty(); // both say "not here"
    }
    if (a.bytes() != b.bytes()) {
      return Optional.of(LENGTH);
    }
    if (!mediaType(a.contentType()).equals(mediaType(b.contentType()))) {
      return Optional.of(CONTENT_TYPE);
    }
    boolean md5s = a.md5() != null && b.md5() != null;
    boolean same = Objects.equals(a.crc32c(), b.crc32c()) && (!md5s || a.md5().equals(b.md5()));
    return same ? Optional.empty() : Optional.of(CHECKSUM);
  }

  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT);
  }
}
