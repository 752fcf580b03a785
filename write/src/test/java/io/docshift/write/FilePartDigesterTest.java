package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.digest.Digester;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The file part digested while the body arrives, against the parser reading the whole spool after:
 * fed in buffers of every size, the digester names exactly the parser's file part with the digests
 * of a read of that region, or nothing (never another region's digests).
 */
class FilePartDigesterTest {
  private static final String BOUNDARY = "XyZ-boundary";
  private static final String TYPE = "multipart/form-data; boundary=" + BOUNDARY;
  private static final String DELIMITER = "\r\n--" + BOUNDARY;

  @TempDir Path dir;

  static Stream<Arguments> bodies() {
    byte[] plain = random(3000, 1);
    // Content full of delimiter prefixes, so that a split can fall inside a false match.
    byte[] tricky =
        (DELIMITER.substring(0, 9) + "x" + DELIMITER.substring(0, 14) + "\r\n--")
            .repeat(40)
            .getBytes(StandardCharsets.ISO_8859_1);
    return Stream.of(
        Arguments.of("file only", form(null, file("a.bin", plain))),
        Arguments.of(
            "fields around the file",
            form(null, field("api_key", "k"), file("a.bin", plain), field("signature", "s"))),
        Arguments.of(
            "preamble", form("ignored preamble\r\n", field("p", "1"), file("a.bin", plain))),
        Arguments.of("delimiter prefixes in the content", form(null, file("t.bin", tricky))),
        Arguments.of("empty file", form(null, file("e.bin", new byte[0]))),
        Arguments.of(
            "the later of two file parts",
            form(null, file("one.bin", tricky), file("two.bin", plain))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void aBinaryFilePartIsDigestedAsTheParserFindsItWhateverTheBuffers(String name, byte[] body)
      throws IOException {
    SpooledForm form = MultipartParser.parse(spool(body), TYPE);
    SpooledForm.FilePart part = form.file().orElseThrow();
    var expected = Digester.ofFile(form.body(), part.offset(), part.length());
    for (int size = 1; size <= 300; size++) {
      Optional<FilePartDigester.Hashed> hashed = digest(body, size);
      assertThat(hashed).as("buffers of %d bytes", size).isPresent();
      assertThat(hashed.get().covers(part.offset(), part.length())).isTrue();
      assertThat(hashed.get().digests()).isEqualTo(expected);
    }
    assertThat(digest(body, body.length).map(FilePartDigester.Hashed::digests)).contains(expected);
  }

  @Test
  void aTextFileFieldIsNotDigested() {
    byte[] body = form(null, field("file", "data:text/plain;base64,aGVsbG8="));
    assertThat(digest(body, 7)).isEmpty();
  }

  @Test
  void aBinaryPartReplacedByALaterTextFileFieldIsForgotten() {
    byte[] body = form(null, file("a.bin", random(500, 2)), field("file", "https://x/y.png"));
    assertThat(digest(body, 64)).isEmpty();
  }

  @Test
  void aBodyCutOffBeforeItsClosingDelimiterNamesNothing() {
    byte[] body = form(null, file("a.bin", random(500, 3)));
    byte[] cut = java.util.Arrays.copyOf(body, body.length - 4);
    assertThat(digest(cut, 100)).isEmpty();
  }

  @Test
  void aBodyThatIsNotAFormIsNotFollowed() {
    FilePartDigester digester = FilePartDigester.of("application/octet-stream");
    digester.update(ByteBuffer.wrap(form(null, file("a.bin", random(10, 4)))));
    assertThat(digester.finish()).isEmpty();
  }

  @Test
  void randomSplitsAgreeWithTheParser() throws IOException {
    Random random = new Random(17);
    for (int round = 0; round < 200; round++) {
      byte[] content = random(random.nextInt(20_000), round);
      byte[] body = form(null, field("timestamp", "1"), file("r.bin", content), field("x", "y"));
      SpooledForm.FilePart part = MultipartParser.parse(spool(body), TYPE).file().orElseThrow();
      FilePartDigester digester = FilePartDigester.of(TYPE);
      for (int at = 0; at < body.length; ) {
        int n = Math.min(body.length - at, 1 + random.nextInt(9000));
        digester.update(ByteBuffer.wrap(body, at, n));
        at += n;
      }
      FilePartDigester.Hashed hashed = digester.finish().orElseThrow();
      assertThat(hashed.covers(part.offset(), part.length())).isTrue();
      assertThat(hashed.digests().md5())
          .isEqualTo(Digester.ofFile(spool(body), part.offset(), part.length()).md5());
    }
  }

  @Test
  void theFieldsBeforeTheFilePartAreHeadedAsTheParserReadsThemWhateverTheBuffers()
      throws IOException {
    byte[] body =
        form(
            "preamble\r\n",
            field("public_id", "a/b"),
            field("tags[]", "x"),
            field("tags[]", "y"),
            field("context", "caf\u00e9 " + DELIMITER.substring(0, 8)),
            file("a.bin", random(3000, 5)),
            field("late", "not in the head"));
    SpooledForm form = MultipartParser.parse(spool(body), TYPE);
    for (int size = 1; size <= 300; size++) {
      FilePartDigester.Head head = head(body, size).orElseThrow();
      assertThat(head.fields())
          .as("buffers of %d bytes", size)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("public_id", "a/b", "tags", "x,y", "context", form.param("context")));
      assertThat(head.fileOffset()).isEqualTo(form.file().orElseThrow().offset());
      assertThat(head.filename()).isEqualTo("a.bin");
      assertThat(head.contentType()).isEqualTo("application/octet-stream");
    }
  }

  @Test
  void aHeadIsKnownOnceTheFilePartsHeadersArriveBeforeItsContent() {
    byte[] body = form(null, field("public_id", "p"), file("a.bin", random(5000, 6)));
    int contentStart = indexOf(body, "octet-stream\r\n\r\n") + 16;
    FilePartDigester digester = FilePartDigester.of(TYPE);
    digester.update(ByteBuffer.wrap(body, 0, contentStart - 1));
    assertThat(digester.head()).isEmpty();
    digester.update(ByteBuffer.wrap(body, contentStart - 1, 2));
    assertThat(digester.head().map(FilePartDigester.Head::fileOffset))
        .contains((long) contentStart);
  }

  @Test
  void noHeadWhenAFieldHasNoNameTheFileIsTextOrAFieldIsOverTheCap() {
    byte[] unnamed =
        form(
            null,
            "Content-Disposition: form-data\r\n\r\nv".getBytes(StandardCharsets.ISO_8859_1),
            file("a.bin", random(100, 7)));
    byte[] text = form(null, field("file", "https://x/y.png"), file("a.bin", random(100, 8)));
    byte[] big =
        form(
            null,
            field("context", "x".repeat(MultipartParser.MAX_FIELD_BYTES + 1)),
            file("a.bin", random(100, 9)));
    assertThat(head(unnamed, 50)).isEmpty();
    assertThat(head(text, 50)).isEmpty();
    assertThat(head(big, 4096)).isEmpty();
  }

  private static Optional<FilePartDigester.Head> head(byte[] body, int size) {
    FilePartDigester digester = FilePartDigester.of(TYPE);
    for (int at = 0; at < body.length; at += size) {
      digester.update(ByteBuffer.wrap(body, at, Math.min(size, body.length - at)));
    }
    return digester.head();
  }

  private static int indexOf(byte[] body, String text) {
    return new String(body, StandardCharsets.ISO_8859_1).indexOf(text);
  }

  private static Optional<FilePartDigester.Hashed> digest(byte[] body, int size) {
    FilePartDigester digester = FilePartDigester.of(TYPE);
    for (int at = 0; at < body.length; at += size) {
      digester.update(ByteBuffer.wrap(body, at, Math.min(size, body.length - at)));
    }
    return digester.finish();
  }

  private Path spool(byte[] body) throws IOException {
    Path file = Files.createTempFile(dir, "body", ".bin");
    Files.write(file, body);
    return file;
  }

  private static byte[] form(String preamble, byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (preamble != null) {
      out.writeBytes(preamble.getBytes(StandardCharsets.ISO_8859_1));
    }
    for (byte[] part : parts) {
      out.writeBytes(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(part);
      out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static byte[] field(String name, String value) {
    return ("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] file(String filename, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ("Content-Disposition: form-data; name=\"file\"; filename=\""
                + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] random(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
