package io.docshift.sandbox.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Bytes written to a temporary file in the staging area, with their MD5 (the future {@code etag})
 * and the first bytes for format sniffing. The repository moves the file into place.
 *
 * @param path the temporary file
 * @param bytes its size
 * @param md5 lower-case MD5 hex
 * @param head up to {@value #HEAD} leading bytes
 */
record StagedFile(Path path, long bytes, String md5, byte[] head) {
  static final int HEAD = 64;
  private static final int BUFFER = 64 * 1024;

  /** Streams {@code in} into a new file under {@code dir}; the caller closes {@code in}. */
  static StagedFile copy(InputStream in, Path dir) throws IOException {
    Path target = Files.createTempFile(dir, "stage-", ".bin");
    try (OutputStream out = Files.newOutputStream(target)) {
      return pump(in, out, target);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(target);
      throw e;
    }
  }

  /** Hashes a file that is already in the staging area. */
  static StagedFile of(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return pump(in, OutputStream.nullOutputStream(), file);
    }
  }

  private static StagedFile pump(InputStream in, OutputStream out, Path target) throws IOException {
    MessageDigest md5 = newMd5();
    byte[] buffer = new byte[BUFFER];
    byte[] head = new byte[HEAD];
    int headLength = 0;
    long total = 0;
    try (DigestInputStream digesting = new DigestInputStream(in, md5)) {
      for (int n = digesting.read(buffer); n >= 0; n = digesting.read(buffer)) {
        if (headLength < HEAD) {
          int take = Math.min(HEAD - headLength, n);
          System.arraycopy(buffer, 0, head, headLength, take);
          headLength += take;
        }
        out.write(buffer, 0, n);
        total += n;
      }
    }
    return new StagedFile(
        target, total, HexFormat.of().formatHex(md5.digest()), Arrays.copyOf(head, headLength));
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks MD5", e);
    }
  }

  /** Format named by the leading bytes, or {@code null}. */
  String sniffedFormat() {
    return MediaTypes.sniff(head, head.length);
  }
}
