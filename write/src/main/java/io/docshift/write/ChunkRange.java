package io.docshift.write;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code upload_large} chunk: {@code X-Unique-Upload-Id} and {@code Content-Range: bytes
 * start-end/total} (end inclusive; a total of {@code -1} or {@code *} means not known yet).
 *
 * @param uploadId identical for every chunk of one file
 * @param start first byte offset
 * @param end last byte offset, inclusive
 * @param total total size, or -1 while unknown
 */
record ChunkRange(String uploadId, long start, long end, long total) {
  private static final Pattern RANGE =
      Pattern.compile("\\s*bytes\\s+(\\d{1,18})-(\\d{1,18})/(\\d{1,18}|-1|\\*)\\s*");
  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /**
   * The chunk a request carries, or null for a plain upload.
   *
   * @throws BadUpload when only one of the headers is present or either is malformed
   */
  static ChunkRange of(String uploadId, String contentRange) {
    if (uploadId == null && contentRange == null) {
      return null;
    }
    if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches() || uploadId.startsWith(".")) {
      throw new BadUpload(400, "Invalid X-Unique-Upload-Id " + uploadId);
    }
    Matcher m = contentRange == null ? null : RANGE.matcher(contentRange);
    if (m == null || !m.matches()) {
      throw new BadUpload(400, "Invalid Content-Range " + contentRange);
    }
    long start = Long.parseLong(m.group(1));
    long end = Long.parseLong(m.group(2));
    String total = m.group(3);
    long size = total.equals("*") || total.equals("-1") ? -1 : Long.parseLong(total);
    if (end < start || (size >= 0 && end >= size)) {
      throw new BadUpload(400, "Invalid Content-Range " + contentRange);
    }
    return new ChunkRange(uploadId, start, end, size);
  }

  long length() {
    return end - start + 1;
  }

  /**
   * @throws BadUpload (400) when the chunk's bytes number other than its {@code Content-Range} says
   */
  void requireLength(long actual) {
    if (actual != length()) {
      throw new BadUpload(
          400, "Chunk size " + actual + " does not match Content-Range length " + length());
    }
  }

  /** Whether this chunk ends the file (the SDKs send the last chunk only after all others). */
  boolean isLast() {
    return total >= 0 && end + 1 == total;
  }
}
