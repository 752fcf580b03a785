package io.docshift.write;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Just enough format knowledge to name the S3 key before Cloudinary answers: magic bytes for the
 * common document and scan formats, else the filename's extension. A wrong guess only costs a
 * second S3 put once Cloudinary's answer names the real format.
 */
final class Formats {
  static final Set<String> IMAGE =
      Set.of(
          "jpg", "jpeg", "png", "gif", "webp", "bmp", "tiff", "tif", "pdf", "svg", "ico", "heic");
  static final Set<String> VIDEO = Set.of("mp4", "mov", "webm", "avi", "mkv", "mp3", "wav", "ogg");
  private static final Map<String, String> MEDIA =
      Map.of(
          "pdf", "application/pdf",
          "jpg", "image/jpeg",
          "png", "image/png",
          "gif", "image/gif",
          "webp", "image/webp",
          "bmp", "image/bmp",
          "tiff", "image/tiff",
          "mp4", "video/mp4");

  private Formats() {}

  /** The format the first bytes announce, or null. */
  static String sniff(byte[] head) {
    if (starts(head, 0, "%PDF")) {
      return "pdf";
    }
    if (head.length >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8) {
      return "jpg";
    }
    if (head.length >= 4 && (head[0] & 0xff) == 0x89 && starts(head, 1, "PNG")) {
      return "png";
    }
    if (starts(head, 0, "GIF8")) {
      return "gif";
    }
    if (starts(head, 0, "RIFF") && starts(head, 8, "WEBP")) {
      return "webp";
    }
    if (starts(head, 0, "II*") || starts(head, 0, "MM\u0000*")) {
      return "tiff";
    }
    return starts(head, 4, "ftyp") ? "mp4" : null;
  }

  /** The lowercase extension of {@code filename}, or null. */
  static String extension(String filename) {
    if (filename == null) {
      return null;
    }
    int dot = filename.lastIndexOf('.');
    int slash = Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\'));
    return dot > slash + 1 && dot < filename.length() - 1
        ? filename.substring(dot + 1).toLowerCase(Locale.ROOT)
        : null;
  }

  /** The media type to store, from the format, then the declared type. */
  static String mediaType(String format, String declared) {
    String known = format == null ? null : MEDIA.get(format);
    if (known != null) {
      return known;
    }
    return declared == null || declared.isBlank() ? "application/octet-stream" : declared;
  }

  /** {@code auto} resolved as Cloudinary does: image and video formats, else raw. */
  static String resolveAuto(String format) {
    if (format != null && IMAGE.contains(format)) {
      return "image";
    }
    return format != null && VIDEO.contains(format) ? "video" : "raw";
  }

  private static boolean starts(byte[] head, int at, String magic) {
    if (head.length < at + magic.length()) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if (head[at + i] != (byte) magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
