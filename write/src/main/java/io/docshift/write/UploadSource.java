package io.docshift.write;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an upload's {@code file} field holds (Cloudinary contract §3): bytes (a binary part, or a
 * {@code data:} URI decoded to disk) or a remote URL that only Cloudinary fetches — DocShift never
 * fetches a client-supplied URL.
 *
 * @param bytes the file's bytes, or null for a remote URL
 * @param filename the part's filename (drives {@code original_filename}), or null
 * @param mediaType the declared media type, or null
 * @param remoteUrl the URL for Cloudinary to fetch, or null
 */
record UploadSource(FileRegion bytes, String filename, String mediaType, String remoteUrl) {
  private static final Pattern REMOTE = Pattern.compile("(?i)^(ftp|https?|s3|gs):.*");
  private static final Pattern DATA_URI =
      Pattern.compile("(?is)^data:([\\w.+-]+/[\\w.+-]+)?((?:;[\\w.+-]+=[\\w.+-]+)*);base64,");
  private static final int PREFIX_BYTES = 512;

  boolean isRemote() {
    return remoteUrl != null;
  }

  /**
   * Resolves the {@code file} field of {@code form}; data URIs are decoded into {@code spoolDir}.
   *
   * @throws BadUpload when {@code file} is missing or neither bytes, a data URI nor a URL
   */
  static UploadSource of(SpooledForm form, Path spoolDir) throws IOException {
    SpooledForm.FilePart part =
        form.file().orElseThrow(() -> new BadUpload(400, "Missing required parameter - file"));
    FileRegion region = new FileRegion(form.body(), part.offset(), part.length());
    if (!part.isText()) {
      return new UploadSource(region, part.filename(), part.contentType(), null);
    }
    String prefix = new String(region.head(PREFIX_BYTES), StandardCharsets.ISO_8859_1);
    if (part.length() == 0) {
      throw new BadUpload(400, "Missing required parameter - file");
    }
    Matcher data = DATA_URI.matcher(prefix);
    if (data.find()) {
      FileRegion decoded = decode(region, data.end(), spoolDir);
      return new UploadSource(decoded, null, data.group(1), null);
    }
    if (REMOTE.matcher(prefix).matches() && part.length() <= PREFIX_BYTES * 4) {
      String url = new String(region.head(PREFIX_BYTES * 4), StandardCharsets.UTF_8).strip();
      return new UploadSource(null, null, null, url);
    }
    String shown = prefix.length() > 40 ? prefix.substring(0, 40) + "..." : prefix;
    throw new BadUpload(400, "Invalid file parameter: " + shown.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether {@code file} is a text field other than a data URI, i.e. something only Cloudinary can
   * resolve (a remote URL; anything else is refused by Cloudinary in its own words).
   */
  static boolean isUrlText(SpooledForm form) {
    SpooledForm.FilePart part = form.file().orElse(null);
    if (part == null || !part.isText()) {
      return false;
    }
    try {
      byte[] head = new FileRegion(form.body(), part.offset(), part.length()).head(5);
      return !new String(head, StandardCharsets.US_ASCII).equalsIgnoreCase("data:");
    } catch (IOException e) {
      return true;
    }
  }

  private static FileRegion decode(FileRegion region, int skip, Path spoolDir) throws IOException {
    Path target = Files.createTempFile(spoolDir, "data-uri-", ".bin");
    FileRegion encoded =
        new FileRegion(region.file(), region.offset() + skip, region.length() - skip);
    try (InputStream in = Base64.getMimeDecoder().wrap(encoded.stream())) {
      long length = Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return FileRegion.whole(target, length);
    } catch (IllegalArgumentException | IOException e) {
      Files.deleteIfExists(target);
      throw new BadUpload(400, "Invalid data URI: " + e.getMessage());
    }
  }
}
