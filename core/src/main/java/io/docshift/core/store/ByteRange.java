package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One HTTP byte range (RFC 9110 §14.1.2): {@code first-last}, {@code first-} or the suffix {@code
 * -n}. Multiple ranges are not supported; callers serve the whole document instead, which RFC 9110
 * allows.
 */
public final class ByteRange {
  private final long first;
  private final long last;
  private final long suffixLength;

  private ByteRange(long first, long last, long suffixLength) {
    this.first = first;
    this.last = last;
    this.suffixLength = suffixLength;
  }

  /** Bytes {@code first..last}, both inclusive. */
  public static ByteRange closed(long first, long last) {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException(
          "range: " + first + "-" + last + " (expected: 0 <= first <= last)");
    }
    return new ByteRange(first, last, -1);
  }

  /** Bytes from {@code first} to the end. */
  public static ByteRange from(long first) {
    if (first < 0) {
      throw new IllegalArgumentException("range: " + first + "- (expected: first >= 0)");
    }
    return new ByteRange(first, -1, -1);
  }

  /** The last {@code length} bytes. */
  public static ByteRange suffix(long length) {
    if (length <= 0) {
      throw new IllegalArgumentException("range: -" + length + " (expected: length > 0)");
    }
    return new ByteRange(-1, -1, length);
  }

  /**
   * Parses a {@code Range} header value holding a single {@code bytes} range; empty for anything
   * else (other units, several ranges, syntax errors), which a server may answer with the whole
   * document.
   */
  public static Optional<ByteRange> parse(String header) {
    requireNonNull(header, "header");
    String value = header.strip();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.indexOf(',') >= 0) {
      return Optional.empty();
    }
    String spec = value.substring(6).strip();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return Optional.empty();
    }
    try {
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      if (a.isEmpty()) {
        return Optional.of(suffix(Long.parseLong(b)));
      }
      long start = Long.parseLong(a);
      return Optional.of(b.isEmpty() ? from(start) : closed(start, Long.parseLong(b)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The first byte, empty for a suffix range. */
  public OptionalLong first() {
    return first < 0 ? OptionalLong.empty() : OptionalLong.of(first);
  }

  /** The last byte (inclusive), empty for open and suffix ranges. */
  public OptionalLong last() {
    return last < 0 ? OptionalLong.empty() : OptionalLong.of(last);
  }

  /** The suffix length, present only for suffix ranges. */
  public OptionalLong suffixLength() {
    return suffixLength < 0 ? OptionalLong.empty() : OptionalLong.of(suffixLength);
  }

  /** The {@code Range} header value, e.g. {@code bytes=0-99}. */
  public String toHeaderValue() {
    if (suffixLength > 0) {
      return "bytes=-" + suffixLength;
    }
    return last < 0 ? "bytes=" + first + "-" : "bytes=" + first + "-" + last;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteRange
        && ((ByteRange) o).first == first
        && ((ByteRange) o).last == last
        && ((ByteRange) o).suffixLength == suffixLength;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(first) * 31 * 31 + Long.hashCode(last) * 31 + Long.hashCode(suffixLength);
  }

  @Override
  public String toString() {
    return toHeaderValue();
  }
}
