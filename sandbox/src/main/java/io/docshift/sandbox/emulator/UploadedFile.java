package io.docshift.sandbox.emulator;

import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code file} parameter turned into a staged file: a binary part is moved (not copied) out of
 * the decoder's spill file; a {@code data:} URI is base64-decoded as a stream. Remote URLs are
 * refused, as the emulator never fetches from the network.
 *
 * @param staged bytes in the staging area
 * @param filename client file name ({@code file} for byte arrays), or {@code null} for data URIs
 * @param declaredFormat extension implied by the data URI media type, or {@code null}
 */
record UploadedFile(StagedFile staged, String filename, String declaredFormat) {
  private static final Pattern DATA_URI =
      Pattern.compile(
          "data:([\\w-]+/[\\w.+-]+)?((?:;[\\w-]+=[\\w.-]+)*);base64", Pattern.CASE_INSENSITIVE);
  private static final Pattern REMOTE =
      Pattern.compile("(?i)(ftp|https?|s3|gs):.*", Pattern.DOTALL);
  private static final int MAX_PREFIX = 512;

  /** Stages the {@code file} part of a request. */
  static UploadedFile of(InterfaceHttpData file, Path stagingDir) throws IOException {
    if (file == null) {
      throw ApiException.missing("file");
    }
    if (file instanceof FileUpload upload) {
      Path target = Files.createTempFile(stagingDir, "upload-", ".bin");
      if (!upload.renameTo(target.toFile())) {
        throw new IOException("cannot move upload to " + target);
      }
      return new UploadedFile(StagedFile.of(target), upload.getFilename(), null);
    }
    return fromText((Attribute) file, stagingDir);
  }

  private static UploadedFile fromText(Attribute attribute, Path stagingDir) throws IOException {
    try (InputStream in = open(attribute)) {
      String prefix = readPrefix(in);
      if (prefix.isEmpty() && attribute.length() == 0) {
        throw ApiException.missing("file");
      }
      if (REMOTE.matcher(prefix).matches()) {
        throw ApiException.badRequest(
            "Remote URL uploads are not supported by the emulator (it never fetches "
                + "from the network); send the bytes or a data: URI instead: "
                + abbreviate(prefix));
      }
      Matcher m = DATA_URI.matcher(prefix);
      if (!m.matches()) {
        throw ApiException.badRequest("Invalid file parameter: " + abbreviate(prefix));
      }
      String format = m.group(1) == null ? null : MediaTypes.extensionOf(m.group(1));
      InputStream decoded = Base64.getMimeDecoder().wrap(in);
      return new UploadedFile(StagedFile.copy(decoded, stagingDir), null, format);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Invalid data URI: " + e.getMessage());
    }
  }

  /** Reads up to the first comma (the data-URI header), or a bounded prefix of other text. */
  private static String readPrefix(InputStream in) throws IOException {
    ByteArrayOutputStream prefix = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != ',' && prefix.size() < MAX_PREFIX; b = in.read()) {
      prefix.write(b);
    }
    return prefix.toString(StandardCharsets.UTF_8);
  }

  /** The attribute's bytes, from memory or from its spill file. */
  private static InputStream open(Attribute attribute) throws IOException {
    if (attribute.isInMemory()) {
      return new ByteBufInputStream(attribute.getByteBuf().duplicate());
    }
    return Files.newInputStream(attribute.getFile().toPath());
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }
}
