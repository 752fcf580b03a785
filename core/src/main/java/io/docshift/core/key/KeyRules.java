package io.docshift.core.key;

import io.docshift.core.key.InvalidDocumentKeyException.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Validation and decoding rules shared by key construction and the delivery-path parser. */
final class KeyRules {
  /** S3 keys are at most 1024 UTF-8 bytes; leave room for the prefix, cloud, types and format. */
  static final int MAX_PUBLIC_ID_BYTES = 768;

  static final int MAX_PATH_CHARS = 2048;

  private static final int MAX_SHOWN = 80;

  private KeyRules() {}

  static InvalidDocumentKeyException malformed(String message) {
    return new InvalidDocumentKeyException(Reason.MALFORMED, message);
  }

  static String checkCloud(String cloud) {
    if (!isCloud(cloud)) {
      throw malformed("cloud name " + show(cloud) + " (expected: letters, digits, '_' or '-')");
    }
    return cloud;
  }

  static boolean isFormat(String format) {
    int length = format.length();
    if (length < 1 || length > 16) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (!isAsciiAlnum(format.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** A letter or digit, then up to 127 of them, {@code _} or {@code -}; every key checks it. */
  private static boolean isCloud(String cloud) {
    int length = cloud.length();
    if (length < 1 || length > 128 || !isAsciiAlnum(cloud.charAt(0))) {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = cloud.charAt(i);
      if (!isAsciiAlnum(c) && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  static String checkFormat(String format) {
    if (format != null && !isFormat(format)) {
      throw malformed("format " + show(format) + " (expected: 1-16 letters or digits)");
    }
    return format;
  }

  /** Rejects anything but a canonical public_id: no traversal, no empty segment, trimmed. */
  static String checkPublicId(String id) {
    if (id.isEmpty()) {
      throw malformed("public_id is empty");
    }
    // A char is at most 3 UTF-8 bytes (a surrogate pair is 4 for 2): short ids need no count.
    if (id.length() * 3 > MAX_PUBLIC_ID_BYTES
        && id.getBytes(StandardCharsets.UTF_8).length > MAX_PUBLIC_ID_BYTES) {
      throw new InvalidDocumentKeyException(
          Reason.TOO_LONG,
          "public_id is longer than " + MAX_PUBLIC_ID_BYTES + " UTF-8 bytes: " + show(id));
    }
    if (id.startsWith("/") || id.endsWith("/") || id.contains("//")) {
      throw malformed("public_id " + show(id) + " has a leading, trailing or double slash");
    }
    if (Character.isWhitespace(id.charAt(0))
        || Character.isWhitespace(id.charAt(id.length() - 1))) {
      throw malformed("public_id " + show(id) + " starts or ends with whitespace");
    }
    String problem = segmentProblem(id);
    if (problem != null) {
      throw malformed("public_id " + show(id) + ": " + problem);
    }
    return id;
  }

  /** Rejects traversal, backslashes and control characters in one decoded path segment. */
  static void checkSegmentText(String segment, String where) {
    String problem = segmentProblem(segment, 0, segment.length());
    if (problem != null) {
      throw malformed(where + ": " + problem);
    }
  }

  /** What is wrong with the first bad one of the {@code /}-separated segments, or null. */
  private static String segmentProblem(String text) {
    int start = 0;
    while (true) {
      int slash = text.indexOf('/', start);
      int end = slash < 0 ? text.length() : slash;
      String problem = segmentProblem(text, start, end);
      if (problem != null || slash < 0) {
        return problem;
      }
      start = slash + 1;
    }
  }

  /** The message is built only for a bad segment: every key and request path passes here. */
  private static String segmentProblem(String text, int start, int end) {
    int length = end - start;
    if ((length == 1 || length == 2) && text.charAt(start) == '.' && text.charAt(end - 1) == '.') {
      return "path traversal segment " + show(text.substring(start, end));
    }
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        return "backslash in segment " + show(text.substring(start, end));
      }
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        return "control character in segment " + show(text.substring(start, end));
      }
    }
    return null;
  }

  /**
   * Percent-decodes one path segment exactly once as UTF-8. {@code +} stays a plus (RFC 3986 path,
   * not a form). A decoded {@code /} would change the segment structure, so it is rejected.
   */
  static String decodeSegment(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    // Work on the UTF-8 bytes so that unescaped non-ASCII text (and surrogate pairs) survive.
    byte[] in = raw.getBytes(StandardCharsets.UTF_8);
    ByteBuffer bytes = ByteBuffer.allocate(in.length);
    for (int i = 0; i < in.length; i++) {
      if (in[i] != '%') {
        bytes.put(in[i]);
        continue;
      }
      int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
      int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
      if (hi < 0 || lo < 0) {
        throw malformed("bad percent escape in path segment " + show(raw));
      }
      bytes.put((byte) (hi << 4 | lo));
      i += 2;
    }
    String decoded = utf8(bytes.flip(), raw);
    if (decoded.indexOf('/') >= 0) {
      throw malformed("encoded slash (%2F) inside path segment " + show(raw));
    }
    return decoded;
  }

  private static String utf8(ByteBuffer bytes, String raw) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw malformed("percent escapes are not valid UTF-8 in path segment " + show(raw));
    }
  }

  /** Quotes untrusted text for a message: control characters escaped, long text truncated. */
  static String show(String text) {
    StringBuilder out = new StringBuilder("'");
    int end = Math.min(text.length(), MAX_SHOWN);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append(text.length() > MAX_SHOWN ? "...'" : "'").toString();
  }
}
