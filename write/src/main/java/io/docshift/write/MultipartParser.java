package io.docshift.write;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a spooled {@code multipart/form-data} body (RFC 7578) in place: the file is memory-mapped
 * and scanned for boundaries, so a 100 MB upload costs no heap. Text fields are capped at {@value
 * #MAX_FIELD_BYTES} bytes and {@value #MAX_FIELDS} fields; only {@code file} may be larger. Any
 * framing error is a {@link BadUpload} with the message the client gets.
 */
final class MultipartParser {
  static final int MAX_FIELD_BYTES = 64 * 1024;
  static final int MAX_FIELDS = 1000;
  static final int MAX_PART_HEADER_BYTES = 8192;

  /** Bytes read at a time by the boundary search. */
  private static final int WINDOW = 64 * 1024;

  private static final Pattern BOUNDARY =
      Pattern.compile("(?i)boundary=(?:\"([^\"]{1,200})\"|([^;\\s]{1,200}))");
  private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern FILENAME =
      Pattern.compile("(?i);\\s*filename=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final MappedByteBuffer data;
  private final FileChannel channel;
  private final ByteBuffer window = ByteBuffer.allocate(WINDOW);
  private final byte[] delimiter;
  private final Map<String, String> params = new LinkedHashMap<>();
  private SpooledForm.FilePart file;
  private int position;

  private MultipartParser(FileChannel channel, MappedByteBuffer data, String boundary) {
    this.channel = channel;
    this.data = data;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Parses {@code body}, whose request {@code Content-Type} is {@code contentType}.
   *
   * @throws BadUpload when the body is not well-formed multipart/form-data
   * @throws IOException when the spool file cannot be read
   */
  static SpooledForm parse(Path body, String contentType) throws IOException {
    String boundary = boundary(contentType);
    try (FileChannel channel = FileChannel.open(body, StandardOpenOption.READ)) {
      if (channel.size() > Integer.MAX_VALUE) {
        throw new BadUpload(413, "Request body too large to parse");
      }
      MultipartParser parser =
          new MultipartParser(
              channel, channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), boundary);
      parser.parseParts();
      return new SpooledForm(body, parser.params, Optional.ofNullable(parser.file));
    }
  }

  static String boundary(String contentType) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new BadUpload(400, "Content-Type must be multipart/form-data");
    }
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      throw new BadUpload(400, "Malformed multipart body: no boundary in Content-Type");
    }
    return m.group(1) != null ? m.group(1) : m.group(2);
  }

  private void parseParts() throws IOException {
    // The first delimiter usually starts the body, without the CRLF that precedes later ones.
    if (regionMatches(0, delimiter, 2) && data.limit() >= delimiter.length - 2) {
      position = delimiter.length - 2;
    } else {
      int first = indexOf(delimiter, 0, 0);
      if (first < 0) {
        throw malformed("no opening boundary");
      }
      position = first + delimiter.length;
    }
    while (!matches(position, "--")) {
      if (!matches(position, "\r\n")) {
        throw malformed("boundary not followed by CRLF");
      }
      position += 2;
      part();
    }
  }

  private void part() throws IOException {
    int headersEnd = indexOf("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, position);
    if (headersEnd < 0 || headersEnd - position > MAX_PART_HEADER_BYTES) {
      throw malformed("part headers not terminated");
    }
    String headers = text(position, headersEnd - position);
    int contentStart = headersEnd + 4;
    int contentEnd = indexOf(delimiter, 0, contentStart);
    if (contentEnd < 0) {
      throw malformed("part not terminated by a boundary");
    }
    position = contentEnd + delimiter.length;
    field(headers, contentStart, contentEnd - contentStart);
  }

  private void field(String headers, int start, int length) {
    String disposition = header(headers, "content-disposition");
    String fieldName = fieldName(disposition);
    if (fieldName == null) {
      throw malformed("part without a form-data name");
    }
    if (fieldName.equals("file")) {
      String partName = filename(disposition);
      file = new SpooledForm.FilePart(start, length, partName, header(headers, "content-type"));
      return;
    }
    if (length > MAX_FIELD_BYTES) {
      throw new BadUpload(400, "Parameter " + fieldName + " is too long (max 65536 bytes)");
    }
    if (params.size() >= MAX_FIELDS) {
      throw new BadUpload(400, "Too many parameters (max " + MAX_FIELDS + ")");
    }
    put(params, fieldName, new String(bytes(start, length), StandardCharsets.UTF_8));
  }

  /** Adds a text field to {@code params}: {@code name[]} fields join their values with commas. */
  static void put(Map<String, String> params, String fieldName, String value) {
    if (fieldName.endsWith("[]")) {
      params.merge(fieldName.substring(0, fieldName.length() - 2), value, (a, b) -> a + "," + b);
    } else {
      params.put(fieldName, value);
    }
  }

  /** What a part is to the write path, from its headers ({@link FilePartDigester}). */
  enum PartKind {
    /** The {@code file} field with a filename: bytes S3 stores as they came. */
    BINARY_FILE,
    /** The {@code file} field as text (a remote URL or a data URI). */
    TEXT_FILE,
    /** Any other field, or headers the parser refuses. */
    OTHER
  }

  /** The kind of a part whose header block (without its final blank line) is {@code headers}. */
  static PartKind kind(String headers) {
    String disposition = header(headers, "content-disposition");
    if (!"file".equals(fieldName(disposition))) {
      return PartKind.OTHER;
    }
    return filename(disposition) != null ? PartKind.BINARY_FILE : PartKind.TEXT_FILE;
  }

  /** The {@code name} of a Content-Disposition, or null when there is none. */
  static String fieldName(String disposition) {
    Matcher name = disposition == null ? null : NAME.matcher(disposition);
    return name != null && name.find() ? unquote(name.group(1)) : null;
  }

  /** The {@code filename} of a Content-Disposition, or null when there is none. */
  static String filename(String disposition) {
    Matcher filename = FILENAME.matcher(disposition);
    return filename.find() ? unquote(filename.group(1)) : null;
  }

  static String header(String headers, String wanted) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(wanted)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  private static String unquote(String quoted) {
    return quoted.replace("\\\"", "\"").replace("\\\\", "\\");
  }

  /**
   * First index at or after {@code from} of {@code pattern[skip..]}, or -1. A Horspool search: it
   * reads the byte under the pattern's last position and jumps by how far that byte sits from the
   * pattern's end, so a file part is crossed in steps of about the delimiter's length rather than
   * byte by byte (the whole body is scanned before either store is written). The bytes come from
   * positional reads into one heap window, not from the mapping: touching every page of a mapped 20
   * MiB file cost more than copying it.
   */
  private int indexOf(byte[] pattern, int skip, int from) throws IOException {
    int m = pattern.length - skip;
    int[] shift = new int[256];
    Arrays.fill(shift, m);
    for (int j = 0; j < m - 1; j++) {
      shift[pattern[skip + j] & 0xff] = m - 1 - j;
    }
    byte last = pattern[pattern.length - 1];
    byte[] bytes = window.array();
    long at = from;
    while (at + m <= data.limit()) {
      int n = fill(at);
      int i = 0;
      while (i + m <= n) {
        byte b = bytes[i + m - 1];
        if (b == last && Arrays.equals(bytes, i, i + m, pattern, skip, pattern.length)) {
          return (int) (at + i);
        }
        i += shift[b & 0xff];
      }
      at += i; // the next candidate no longer fits the window: the next window starts there
    }
    return -1;
  }

  /** Reads the body from {@code at} into the window, as much as fits or remains. */
  private int fill(long at) throws IOException {
    window.clear();
    window.limit((int) Math.min(WINDOW, data.limit() - at));
    while (window.hasRemaining()) {
      if (channel.read(window, at + window.position()) < 0) {
        throw new IOException("spool file ended before its size");
      }
    }
    return window.position();
  }

  private boolean regionMatches(int at, byte[] pattern, int skip) {
    if (at + pattern.length - skip > data.limit()) {
      return false;
    }
    for (int k = skip; k < pattern.length; k++) {
      if (data.get(at + k - skip) != pattern[k]) {
        return false;
      }
    }
    return true;
  }

  private boolean matches(int at, String expected) {
    return at + expected.length() <= data.limit() && text(at, expected.length()).equals(expected);
  }

  private byte[] bytes(int start, int length) {
    byte[] out = new byte[length];
    data.get(start, out);
    return out;
  }

  private String text(int start, int length) {
    return new String(bytes(start, length), StandardCharsets.ISO_8859_1);
  }

  private static BadUpload malformed(String why) {
    return new BadUpload(400, "Malformed multipart body: " + why);
  }
}
