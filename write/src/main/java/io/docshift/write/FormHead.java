package io.docshift.write;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The text fields of a {@code multipart/form-data} body that come before its binary {@code file}
 * part, collected by {@link FilePartDigester} as the body is spooled, so that the write path can
 * authenticate an upload and name its key while the file still arrives. Read as {@link
 * MultipartParser} reads them (the same names, the same {@code name[]} joins, the same caps); a
 * head over a cap, a part without a name, or a text {@code file} part gives none: the upload then
 * waits for its whole body, as it always did. Not thread-safe (one body, fed serially).
 */
final class FormHead {
  private final Map<String, String> fields = new LinkedHashMap<>();
  private String field;
  private ByteArrayOutputStream value;
  private boolean over;
  private FilePartDigester.Head head;

  /** A part whose header block is {@code headers} starts; its content begins at {@code offset}. */
  void part(String headers, long offset) {
    if (over || head != null) {
      return;
    }
    String disposition = MultipartParser.header(headers, "content-disposition");
    String name = MultipartParser.fieldName(disposition);
    switch (MultipartParser.kind(headers)) {
      case BINARY_FILE ->
          head =
              new FilePartDigester.Head(
                  fields,
                  offset,
                  MultipartParser.filename(disposition),
                  MultipartParser.header(headers, "content-type"));
      case TEXT_FILE -> over = true;
      default -> {
        over = name == null || fields.size() >= MultipartParser.MAX_FIELDS;
        field = name;
        value = new ByteArrayOutputStream();
      }
    }
  }

  /** Content of the current part. */
  void content(byte[] bytes, int offset, int length) {
    if (value == null || over) {
      return;
    }
    if (value.size() + length > MultipartParser.MAX_FIELD_BYTES) {
      over = true;
      return;
    }
    value.write(bytes, offset, length);
  }

  /** The current part ended. */
  void partEnd() {
    if (value != null && !over) {
      MultipartParser.put(fields, field, value.toString(StandardCharsets.UTF_8));
    }
    field = null;
    value = null;
  }

  /** The fields before the binary file part, once its headers were read. */
  Optional<FilePartDigester.Head> head() {
    return Optional.ofNullable(over ? null : head);
  }
}
