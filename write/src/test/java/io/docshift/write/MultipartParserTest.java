package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The multipart parser over spooled bodies, one row per framing case (boundary {@code b}). */
class MultipartParserTest {
  private static final String TYPE = "multipart/form-data; boundary=b";

  @TempDir Path dir;

  static Stream<Arguments> wellFormed() {
    return Stream.of(
        Arguments.of("one field", "--b\r\n" + field("a", "1") + "--b--\r\n", Map.of("a", "1")),
        Arguments.of(
            "two fields",
            "--b\r\n" + field("a", "1") + "--b\r\n" + field("c", "x y") + "--b--",
            Map.of("a", "1", "c", "x y")),
        Arguments.of(
            "preamble before the first boundary",
            "ignored\r\n--b\r\n" + field("a", "1") + "--b--",
            Map.of("a", "1")),
        Arguments.of(
            "array field joined with commas",
            "--b\r\n" + field("tags[]", "x") + "--b\r\n" + field("tags[]", "y") + "--b--",
            Map.of("tags", "x,y")),
        Arguments.of(
            "escaped quote in the name",
            "--b\r\nContent-Disposition: form-data; name=\"q\\\"n\"\r\n\r\nv\r\n--b--",
            Map.of("q\"n", "v")),
        Arguments.of(
            "UTF-8 value", "--b\r\n" + field("title", "Grüße") + "--b--", Map.of("title", "Grüße")),
        Arguments.of("empty value", "--b\r\n" + field("a", "") + "--b--", Map.of("a", "")),
        Arguments.of("no parts", "--b--", Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wellFormed")
  void aWellFormedBodyGivesItsFields(String name, String body, Map<String, String> params)
      throws IOException {
    SpooledForm form = MultipartParser.parse(spool(body), TYPE);
    assertThat(form.params()).isEqualTo(params);
    assertThat(form.file()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          no opening boundary            | nothing here                                      | no opening boundary
          boundary then garbage          | --bX                                              | boundary not followed by CRLF
          headers never end              | --b\\r\\nContent-Disposition: form-data; name="a" | part headers not terminated
          part never ends                | --b\\r\\nContent-Disposition: form-data; name="a"\\r\\n\\r\\nvalue | part not terminated by a boundary
          part without a name            | --b\\r\\nContent-Type: text/plain\\r\\n\\r\\nv\\r\\n--b-- | part without a form-data name
          body ends after a boundary     | --b\\r\\nContent-Disposition: form-data; name="a"\\r\\n\\r\\nv\\r\\n--b | boundary not followed by CRLF
          """)
  void aMalformedBodyIsRefusedWith400(String name, String body, String why) throws IOException {
    Path spooled = spool(body.replace("\\r\\n", "\r\n"));
    assertThatThrownBy(() -> MultipartParser.parse(spooled, TYPE))
        .isInstanceOfSatisfying(BadUpload.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessage("Malformed multipart body: " + why);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          plain boundary            | multipart/form-data; boundary=abc          | abc
          quoted boundary           | multipart/form-data; boundary="a b;c"      | a b;c
          upper-case type and name  | Multipart/Form-Data; BOUNDARY=xyz          | xyz
          boundary then a parameter | multipart/form-data; boundary=abc; x=1     | abc
          """)
  void theBoundaryIsReadFromTheContentType(String name, String contentType, String boundary) {
    assertThat(MultipartParser.boundary(contentType)).isEqualTo(boundary);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      textBlock =
          """
          no Content-Type    | null                                 | Content-Type must be multipart/form-data
          another type       | application/json                     | Content-Type must be multipart/form-data
          no boundary        | multipart/form-data                  | Malformed multipart body: no boundary in Content-Type
          """)
  void aContentTypeWithoutABoundaryIsRefused(String name, String contentType, String message) {
    assertThatThrownBy(() -> MultipartParser.boundary(contentType))
        .isInstanceOf(BadUpload.class)
        .hasMessage(message);
  }

  @Test
  void theFilePartIsLocatedInPlaceNotCopied() throws IOException {
    String body =
        "--b\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"r.pdf\"\r\n"
            + "Content-Type: application/pdf\r\n\r\n"
            + "%PDF-1.7 body\r\n--b\r\n"
            + field("public_id", "docs/r")
            + "--b--";
    SpooledForm form = MultipartParser.parse(spool(body), TYPE);
    SpooledForm.FilePart file = form.file().orElseThrow();
    assertThat(file.filename()).isEqualTo("r.pdf");
    assertThat(file.contentType()).isEqualTo("application/pdf");
    assertThat(body.substring((int) file.offset(), (int) (file.offset() + file.length())))
        .isEqualTo("%PDF-1.7 body");
    assertThat(form.params()).isEqualTo(Map.of("public_id", "docs/r"));
  }

  @Test
  void aFieldOverTheCapIsRefusedButTheFileMayBeLarger() throws IOException {
    String big = "x".repeat(MultipartParser.MAX_FIELD_BYTES + 1);
    assertThatThrownBy(
            () -> MultipartParser.parse(spool("--b\r\n" + field("a", big) + "--b--"), TYPE))
        .hasMessage("Parameter a is too long (max 65536 bytes)");
    String withFile =
        "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n" + big + "\r\n--b--";
    assertThat(MultipartParser.parse(spool(withFile), TYPE).file().orElseThrow().length())
        .isEqualTo(big.length());
  }

  @Test
  void moreFieldsThanTheCapAreRefused() throws IOException {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i <= MultipartParser.MAX_FIELDS; i++) {
      body.append("--b\r\n").append(field("f" + i, "v"));
    }
    Path spooled = spool(body + "--b--");
    assertThatThrownBy(() -> MultipartParser.parse(spooled, TYPE))
        .hasMessage("Too many parameters (max 1000)");
  }

  private static String field(String name, String value) {
    return "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  }

  private Path spool(String body) throws IOException {
    Path file = Files.createTempFile(dir, "body", ".multipart");
    Files.write(file, body.getBytes(StandardCharsets.UTF_8));
    return file;
  }
}
