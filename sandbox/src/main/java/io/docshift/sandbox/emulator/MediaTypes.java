package io.docshift.sandbox.emulator;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Content sniffing and media types: just enough to resolve {@code auto} and serve originals. */
final class MediaTypes {
  static final Set<String> IMAGE =
      Set.of(
          "jpg", "jpeg", "png", "gif", "webp", "bmp", "tiff", "tif", "pdf", "svg", "ico", "heic");
  static final Set<String> VIDEO = Set.of("mp4", "mov", "webm", "avi", "mkv", "mp3", "wav", "ogg");
  private static final Map<String, String> MEDIA_TYPES =
      Map.ofEntries(
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("png", "image/png"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("bmp", "image/bmp"),
          Map.entry("tiff", "image/tiff"),
          Map.entry("tif", "image/tiff"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("heic", "image/heic"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("mov", "video/quicktime"),
          Map.entry("webm", "video/webm"),
          Map.entry("avi", "video/x-msvideo"),
          Map.entry("mkv", "video/x-matroska"),
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("wav", "audio/wav"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("txt", "text/plain"),
          Map.entry("csv", "text/csv"),
          Map.entry("json", "application/json"),
          Map.entry("xml", "application/xml"),
          Map.entry("zip", "application/zip"),
          Map.entry("doc", "application/msword"),
          Map.entry(
              "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
          Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

  private MediaTypes() {}

  /** Format named by magic bytes, or {@code null} when unknown. */
  static String sniff(byte[] head, int length) {
    if (startsWith(head, length, "%PDF")) {
      return "pdf";
    }
    if (length >= 3
        && (head[0] & 0xff) == 0xff
        && (head[1] & 0xff) == 0xd8
        && (head[2] & 0xff) == 0xff) {
      return "jpg";
    }
    if (length >= 4 && (head[0] & 0xff) == 0x89 && startsWithAt(head, length, 1, "PNG")) {
      return "png";
    }
    if (startsWith(head, length, "GIF8")) {
      return "gif";
    }
    if (startsWith(head, length, "RIFF") && startsWithAt(head, length, 8, "WEBP")) {
      return "webp";
    }
    if (startsWith(head, length, "BM")) {
      return "bmp";
    }
    if (startsWith(head, length, "II*") || startsWith(head, length, "MM\u0000*")) {
      return "tiff";
    }
    return startsWithAt(head, length, 4, "ftyp") ? "mp4" : null;
  }

  /** Media type for a format or extension; {@code application/octet-stream} when unknown. */
  static String mediaType(String format) {
    if (format == null) {
      return "application/octet-stream";
    }
    return MEDIA_TYPES.getOrDefault(format.toLowerCase(Locale.ROOT), "application/octet-stream");
  }

  /** Extension for a data-URI media type such as {@code image/png}, or {@code null}. */
  static String extensionOf(String mediaType) {
    String lower = mediaType.toLowerCase(Locale.ROOT);
    if (lower.equals("image/jpeg")) {
      return "jpg";
    }
    for (Map.Entry<String, String> e : MEDIA_TYPES.entrySet()) {
      if (e.getValue().equals(lower)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Resource type {@code auto} resolves to: images and PDFs are images, media is video. */
  static String resolveAuto(String format) {
    if (format != null && IMAGE.contains(format)) {
      return "image";
    }
    return format != null && VIDEO.contains(format) ? "video" : "raw";
  }

  private static boolean startsWith(byte[] head, int length, String magic) {
    return startsWithAt(head, length, 0, magic);
  }

  private static boolean startsWithAt(byte[] head, int length, int offset, String magic) {
    if (length < offset + magic.length()) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if (head[offset + i] != (byte) magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
