package io.docshift.write;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * An Upload API request body spooled to disk and parsed without loading it: the text fields as
 * strings (array fields {@code name[]} joined with commas under the bare name, as Cloudinary signs
 * them) and the {@code file} part as a region of the spool file.
 *
 * @param body the spooled request body exactly as received
 * @param params every field except {@code file}, raw strings in arrival order
 * @param file the {@code file} part, if any
 */
public record SpooledForm(Path body, Map<String, String> params, Optional<FilePart> file) {
  /** Validates that no component is null and copies the params. */
  public SpooledForm {
    requireNonNull(body, "body");
    params = Map.copyOf(requireNonNull(params, "params"));
    requireNonNull(file, "file");
  }

  /** The non-empty value of {@code name}, or null (the SDKs drop empty params). */
  public String param(String name) {
    String value = params.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * Where the {@code file} part's bytes are in the spool file.
   *
   * @param offset first byte of the part's content
   * @param length content length in bytes
   * @param filename the part's {@code filename}, or null for a text field
   * @param contentType the part's {@code Content-Type}, or null
   */
  public record FilePart(long offset, long length, String filename, String contentType) {
    /** A text field (remote URL or data URI) rather than a binary part. */
    public boolean isText() {
      return filename == null;
    }
  }
}
