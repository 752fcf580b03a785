package io.docshift.sandbox.emulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single {@code Range: bytes=...} request (RFC 9110 §14.1.2), resolved against a length.
 * Multi-range and malformed headers are ignored (the full body is served), which RFC 9110 allows.
 *
 * @param start first byte, inclusive
 * @param end last byte, inclusive
 */
record RangeHeader(long start, long end) {
  /** Marker for a syntactically valid range that selects no byte: answered with 416. */
  static final RangeHeader UNSATISFIABLE = new RangeHeader(-1, -1);

  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

  /** The range to serve, {@code null} for the whole body, or {@link #UNSATISFIABLE}. */
  static RangeHeader parse(String header, long length) {
    if (header == null) {
      return null;
    }
    Matcher m = SINGLE.matcher(header.replace(" ", ""));
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    if (m.group(1).isEmpty()) {
      long suffix = Long.parseLong(m.group(2));
      return suffix == 0 || length == 0
          ? UNSATISFIABLE
          : new RangeHeader(Math.max(0, length - suffix), length - 1);
    }
    long start = Long.parseLong(m.group(1));
    if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < start) {
      return null;
    }
    if (start >= length) {
      return UNSATISFIABLE;
    }
    long end = m.group(2).isEmpty() ? length - 1 : Long.parseLong(m.group(2));
    return new RangeHeader(start, Math.min(end, length - 1));
  }

  long length() {
    return end - start + 1;
  }
}
