package io.docshift.core.key;

import io.docshift.core.key.InvalidDocumentKeyException.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Validation and decoding rules shared by key construction and the delivery-path parser. */
final class KeyRules {
  /** S3 keys are at most 1024 UTF-8 bytes; leave room for the prefix, cloud, types and format. */
  static final int MAX_PUBLIC_ID_BYTES = 768;

  static final int MAX_PATH_CHARS = 2048;

  private static final Pattern CLOUD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9]{1,16}");
  private static final int MAX_SHOWN = 80;

  private KeyRules() {}

  static InvalidDocumentKeyException malformed(String message) {
    return new InvalidDocumentKeyException(Reason.MALFORMED, message);
  }

  static String checkCloud(String cloud) {
    if (!CLOUD.matcher(cloud).matches()) {
      throw malformed("cloud name " + show(cloud) + " (expected: letters, digits, '_' or '-')");
    }
    return cloud;
  }

  static boolean isFormat(String format) {
    return FORMAT.matcher(format).matches();
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
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_PUBLIC_ID_BYTES) {
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
    for (String segment : id.split("/", -1)) {
      checkSegmentText(segment, "public_id " + show(id));
    }
    return id;
  }

  /** Rejects traversal, backslashes and control characters in one decoded path segment. */
  static void checkSegmentText(String segment, String where) {
    if (segment.equals(".") || segment.equals("..")) {
      throw malformed(where + ": path traversal segment " + show(segment));
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '\\') {
        throw malformed(where + ": backslash in segment " + show(segment));
      }
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        throw malformed(where + ": control character in segment " + show(segment));
      }
    }
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
