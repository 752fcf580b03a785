package io.docshift.sandbox.seed;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Streaming MD5 (what Cloudinary reports as etag) for the tests. */
final class EtagDigests {
  private EtagDigests() {}

  /** Hex MD5 and length of everything {@code in} yields; closes it. */
  static String md5(InputStream in) throws IOException {
    try (in) {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] buffer = new byte[64 * 1024];
      long length = 0;
      for (int read; (read = in.read(buffer)) > 0; ) {
        md5.update(buffer, 0, read);
        length += read;
      }
      return HexFormat.of().formatHex(md5.digest()) + "/" + length;
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
