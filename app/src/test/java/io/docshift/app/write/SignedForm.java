package io.docshift.app.write;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A signed Upload API form written by hand, as an SDK would send it but under the test's control
 * (parts left out, bodies cut short): text fields, then an optional binary {@code file} part.
 */
final class SignedForm {
  static final String BOUNDARY = "docshift-test-boundary";

  private final TreeMap<String, String> fields = new TreeMap<>();
  private byte[] file;
  private String filename = "file";

  /** A form signed for {@code apiKey}/{@code secret} (SHA-1, as the sandbox account). */
  static SignedForm of(Map<String, String> params, String apiKey, String secret) {
    SignedForm form = new SignedForm();
    form.fields.putAll(params);
    form.fields.putIfAbsent("timestamp", Long.toString(System.currentTimeMillis() / 1000));
    String toSign =
        form.fields.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("&"));
    form.fields.put("signature", sha1Hex(toSign + secret));
    form.fields.put("api_key", apiKey);
    return form;
  }

  /**
   * An unsigned form, as a browser sends it with an upload preset: no {@code api_key}, {@code
   * timestamp} or {@code signature}.
   */
  static SignedForm unsigned(Map<String, String> params) {
    SignedForm form = new SignedForm();
    form.fields.putAll(params);
    return form;
  }

  /** Adds the binary {@code file} part. */
  SignedForm file(byte[] bytes) {
    this.file = bytes.clone();
    return this;
  }

  /** Adds the binary {@code file} part under {@code name}. */
  SignedForm file(byte[] bytes, String name) {
    this.filename = name;
    return file(bytes);
  }

  static String contentType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  /** The whole multipart body. */
  byte[] body() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fields.forEach(
        (name, value) ->
            write(
                out,
                "--"
                    + BOUNDARY
                    + "\r\nContent-Disposition: form-data; name=\""
                    + name
                    + "\"\r\n\r\n"
                    + value
                    + "\r\n"));
    if (file != null) {
      write(
          out,
          "--"
              + BOUNDARY
              + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
              + filename
              + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
      out.writeBytes(file);
      write(out, "\r\n");
    }
    write(out, "--" + BOUNDARY + "--\r\n");
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha1Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
