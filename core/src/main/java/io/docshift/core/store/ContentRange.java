package io.docshift.core.store;

import java.util.Optional;

/**
 * The part of a document a ranged response carries: bytes {@code first..last} (inclusive) of {@code
 * total}.
 */
public record ContentRange(long first, long last, long total) {
  /** Validates {@code 0 <= first <= last < total}. */
  public ContentRange {
    if (first < 0 || last < first || last >= total) {
      throw new IllegalArgumentException(
          "content range: "
              + first
              + "-"
              + last
              + "/"
              + total
              + " (expected: 0 <= first <= last < total)");
    }
  }

  /** Number of bytes in the part. */
  public long length() {
    return last - first + 1;
  }

  /** The {@code Content-Range} header value, e.g. {@code bytes 0-99/1000}. */
  public String toHeaderValue() {
    return "bytes " + first + "-" + last + "/" + total;
  }

  /** Parses {@code bytes first-last/total}; empty for {@code *} totals or anything malformed. */
  public static Optional<ContentRange> parse(String header) {
    if (header == null || !header.startsWith("bytes ")) {
      return Optional.empty();
    }
    String spec = header.substring(6).strip();
    int dash = spec.indexOf('-');
    int slash = spec.indexOf('/');
    if (dash <= 0 || slash < dash) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new ContentRange(
              Long.parseLong(spec.substring(0, dash)),
              Long.parseLong(spec.substring(dash + 1, slash)),
              Long.parseLong(spec.substring(slash + 1))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
