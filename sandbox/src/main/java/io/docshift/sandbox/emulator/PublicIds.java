package io.docshift.sandbox.emulator;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Random;

/** Public-id rules: what is safe to store and serve, and how ids are generated and derived. */
final class PublicIds {
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int MAX_LENGTH = 255;
  private static final Random RANDOM = new SecureRandom();

  private PublicIds() {}

  /**
   * Whether an id can be stored and addressed by URL: no empty, {@code .} or {@code ..} segment, no
   * backslash or control character (these would allow path traversal or ambiguous URLs).
   */
  static boolean isValid(String publicId) {
    if (publicId.isEmpty() || publicId.length() > MAX_LENGTH) {
      return false;
    }
    for (String segment : publicId.split("/", -1)) {
      if (!isSafeSegment(segment)) {
        return false;
      }
    }
    return true;
  }

  /** A single path segment that is neither empty, {@code .}, {@code ..} nor contains controls. */
  static boolean isSafeSegment(String segment) {
    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || c == '/') {
        return false;
      }
    }
    return true;
  }

  /** A random id like Cloudinary's: 20 lowercase alphanumerics. */
  static String random() {
    return randomSuffix(20);
  }

  /** Random lowercase alphanumerics, e.g. the 6-char suffix of {@code unique_filename}. */
  static String randomSuffix(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /** File name without directory and extension, as reported in {@code original_filename}. */
  static String baseName(String filename) {
    String name =
        filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Lower-case extension of a file name, or {@code null}. */
  static String extension(String filename) {
    String name = filename.substring(filename.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 && dot < name.length() - 1
        ? name.substring(dot + 1).toLowerCase(Locale.ROOT)
        : null;
  }

  /** Replaces characters Cloudinary does not keep in ids derived from file names. */
  static String sanitize(String name) {
    String cleaned = name.replaceAll("[^\\p{L}\\p{N}_\\-.]", "_");
    return cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..") ? random() : cleaned;
  }
}
