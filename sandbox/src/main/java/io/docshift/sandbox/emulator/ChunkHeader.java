package io.docshift.sandbox.emulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chunk's {@code Content-Range: bytes start-end/total} header (end inclusive). The total may be a
 * number, {@code -1} or {@code *}; the latter two mean "not known yet" and are kept as -1.
 *
 * @param start first byte offset
 * @param end last byte offset, inclusive
 * @param total total size, or -1 when unknown
 */
record ChunkHeader(long start, long end, long total) {
  private static final Pattern HEADER =
      Pattern.compile("\\s*bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|-1|\\*)\\s*");

  static ChunkHeader parse(String header) {
    Matcher m = HEADER.matcher(header);
    if (!m.matches()) {
      throw ApiException.badRequest("Invalid Content-Range header " + header);
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
    if (end < start || (total >= 0 && end >= total)) {
      throw ApiException.badRequest("Invalid Content-Range header " + header);
    }
    return new ChunkHeader(start, end, total);
  }

  long length() {
    return end - start + 1;
  }
}
