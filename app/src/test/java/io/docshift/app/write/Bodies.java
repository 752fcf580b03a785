package io.docshift.app.write;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Repeatable document bodies and their digests. */
final class Bodies {
  private Bodies() {}

  /** {@code size} random bytes behind a PDF header, so Cloudinary and DocShift see a PDF. */
  static byte[] pdf(int size, long seed) {
    byte[] body = random(size, seed);
    byte[] head = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, body, 0, head.length);
    return body;
  }

  static byte[] random(int size, long seed) {
    byte[] body = new byte[size];
    new Random(seed).nextBytes(body);
    return body;
  }

  static String md5(byte[] bytes) {
    return hex("MD5", bytes);
  }

  static String sha256(byte[] bytes) {
    return hex("SHA-256", bytes);
  }

  private static String hex(String algorithm, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm, e);
    }
  }
}
