package io.docshift.write;

import io.docshift.core.digest.Digester;
import io.docshift.core.digest.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Digests the binary {@code file} part of a {@code multipart/form-data} upload while its body is
 * spooled, so the MD5 and SHA-256 that S3's put needs are known when the last byte arrives rather
 * than after a second read of the spool. Fed the body in order, buffer by buffer, it follows the
 * framing as {@link MultipartParser} reads it (the first delimiter, each part's headers, the first
 * delimiter after its content) and passes only the file part's content to one {@link Digester}.
 *
 * <p>{@link #finish()} names the region it hashed. The write path takes the digests only when that
 * region is exactly the file part the parser found ({@link Hashed#covers}), so a body this class
 * follows differently (malformed, cut off, headers over the parser's cap) costs the old second
 * read, never wrong digests. A content type that is not multipart gives a digester that hashes
 * nothing. Not thread-safe: one body, fed serially (its channel's event loop).
 */
public final class FilePartDigester {
  private static final byte[] HEADERS_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
  private static final int MAX_HEADERS = MultipartParser.MAX_PART_HEADER_BYTES;

  private enum State {
    SEARCH,
    AFTER_DELIMITER,
    HEADERS,
    CONTENT,
    DONE
  }

  private final byte[] delimiter;
  private final int[] shift;
  private byte[] buf;
  private int len;
  private int pos;
  private long base;
  private State state;
  private Digester part;
  private long contentStart;
  private Hashed hashed;
  private final FormHead form = new FormHead();

  private FilePartDigester(String boundary) {
    if (boundary == null) {
      this.delimiter = null;
      this.shift = null;
      this.state = State.DONE;
      return;
    }
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.shift = shifts(delimiter);
    // The first delimiter may open the body without the CRLF that precedes later ones: seen
    // behind a CRLF put before byte 0, it is found like any other.
    this.buf = new byte[8192];
    this.buf[0] = '\r';
    this.buf[1] = '\n';
    this.len = 2;
    this.base = -2;
    this.state = State.SEARCH;
  }

  /**
   * The file part's content as digested: its first byte's offset in the body, and its length, MD5
   * and SHA-256.
   *
   * @param offset first byte of the part's content in the spooled body
   * @param digests length, MD5 and SHA-256 of the content
   */
  public record Hashed(long offset, Digests digests) {
    /** Whether these are the digests of exactly {@code length} bytes from {@code at}. */
    boolean covers(long at, long length) {
      return offset == at && digests.length() == length;
    }
  }

  /**
   * The text fields that came before the binary file part, seen once that part's headers were read
   * ({@link FormHead}): what an upload can be authenticated and keyed by while its file still
   * arrives. The whole body is parsed again at its end; these never replace that parse.
   *
   * @param fields the text fields before the file part, as the parser reads them
   * @param fileOffset the file part's first content byte in the body
   * @param filename the part's file name
   * @param contentType the part's own content type, or null
   */
  public record Head(
      Map<String, String> fields, long fileOffset, String filename, String contentType) {
    /** Copies the fields, so a head never changes after it is made. */
    public Head {
      fields = Map.copyOf(fields);
    }
  }

  /** A digester for a body sent with {@code contentType}; one that hashes nothing if no form. */
  public static FilePartDigester of(String contentType) {
    try {
      return new FilePartDigester(MultipartParser.boundary(contentType));
    } catch (BadUpload notAForm) {
      return new FilePartDigester(null);
    }
  }

  /** Follows the buffer's remaining bytes, the body's next ones; its position is left as it was. */
  public void update(ByteBuffer bytes) {
    if (state == State.DONE || !bytes.hasRemaining()) {
      return;
    }
    append(bytes.duplicate());
    step();
  }

  /** The fields before the binary file part, once its headers were followed ({@link Head}). */
  public Optional<Head> head() {
    return form.head();
  }

  /** The binary file part's digests, if the body had one this digester followed to its end. */
  public Optional<Hashed> finish() {
    return state == State.DONE ? Optional.ofNullable(hashed) : Optional.empty();
  }

  private void append(ByteBuffer bytes) {
    // Bytes before pos are settled (hashed or skipped): drop them, then make room.
    System.arraycopy(buf, pos, buf, 0, len - pos);
    base += pos;
    len -= pos;
    pos = 0;
    int n = bytes.remaining();
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
    }
    bytes.get(buf, len, n);
    len += n;
  }

  private void step() {
    boolean more = true;
    while (more) {
      switch (state) {
        case SEARCH -> more = search();
        case AFTER_DELIMITER -> more = afterDelimiter();
        case HEADERS -> more = headers();
        case CONTENT -> more = content();
        default -> more = false;
      }
    }
  }

  private boolean search() {
    int at = indexOf(delimiter, shift, pos);
    if (at < 0) {
      pos = Math.max(pos, len - (delimiter.length - 1));
      return false;
    }
    pos = at + delimiter.length;
    state = State.AFTER_DELIMITER;
    return true;
  }

  private boolean afterDelimiter() {
    if (len - pos < 2) {
      return false;
    }
    if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
      pos += 2;
      state = State.HEADERS;
      return true;
    }
    if (buf[pos] != '-' || buf[pos + 1] != '-') {
      hashed = null; // the parser refuses this body
    }
    state = State.DONE;
    return false;
  }

  private boolean headers() {
    int end = indexOf(HEADERS_END, null, pos);
    if (end < 0 || end - pos > MAX_HEADERS) {
      if (end >= 0 || len - pos > MAX_HEADERS + HEADERS_END.length) {
        hashed = null; // over the parser's cap: it refuses this body
        state = State.DONE;
      }
      return false;
    }
    String headers = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
    MultipartParser.PartKind kind = MultipartParser.kind(headers);
    if (kind != MultipartParser.PartKind.OTHER) {
      hashed = null; // a later file part replaces an earlier one, as in the parser
    }
    part = kind == MultipartParser.PartKind.BINARY_FILE ? Digester.forS3() : null;
    pos = end + HEADERS_END.length;
    contentStart = base + pos;
    form.part(headers, contentStart);
    state = State.CONTENT;
    return true;
  }

  private boolean content() {
    int at = indexOf(delimiter, shift, pos);
    if (at < 0) {
      // The last bytes may begin a delimiter that the next buffer completes: keep them back.
      int settled = Math.max(pos, len - (delimiter.length - 1));
      digest(settled);
      return false;
    }
    digest(at);
    form.partEnd();
    if (part != null) {
      hashed = new Hashed(contentStart, part.finish());
      part = null;
    }
    pos = at + delimiter.length;
    state = State.AFTER_DELIMITER;
    return true;
  }

  private void digest(int upTo) {
    if (part != null && upTo > pos) {
      part.update(ByteBuffer.wrap(buf, pos, upTo - pos));
    } else if (upTo > pos) {
      form.content(buf, pos, upTo - pos);
    }
    pos = upTo;
  }

  /**
   * First index at or after {@code from} of {@code pattern} in the buffered bytes, or -1: a
   * Horspool search when a shift table is given (the delimiter, crossing a file part in long
   * jumps), else byte by byte (the short header terminator).
   */
  private int indexOf(byte[] pattern, int[] shifts, int from) {
    int m = pattern.length;
    byte last = pattern[m - 1];
    int i = from;
    while (i + m <= len) {
      byte b = buf[i + m - 1];
      if (b == last && Arrays.equals(buf, i, i + m, pattern, 0, m)) {
        return i;
      }
      i += shifts == null ? 1 : shifts[b & 0xff];
    }
    return -1;
  }

  private static int[] shifts(byte[] pattern) {
    int m = pattern.length;
    int[] table = new int[256];
    Arrays.fill(table, m);
    for (int j = 0; j < m - 1; j++) {
      table[pattern[j] & 0xff] = m - 1 - j;
    }
    return table;
  }
}
