package io.docshift.core.digest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The one place DocShift hashes bytes: the checksums of a body fed to it buffer by buffer, in one
 * pass whatever the number of algorithms. Every streaming hasher (a download spooled for S3, a
 * shadow read, a body verified on its way to the client, an upload's spool) feeds one of these. Not
 * thread-safe: one body, fed serially (as a Reactive Streams source signals).
 */
public final class Digester {
  /** The checksums DocShift knows. */
  public enum Algorithm {
    /** Hardware-accelerated (several GB/s): what a first comparison needs. */
    CRC32C,
    /** Cloudinary's etag and S3's {@code Content-MD5}. */
    MD5,
    /** S3's {@code x-amz-checksum-sha256} and the ledger's strongest proof. */
    SHA256
  }

  private static final int FILE_CHUNK = 64 * 1024;

  private final CRC32C crc;
  private final MessageDigest md5;
  private final MessageDigest sha256;
  private long length;

  private Digester(Set<Algorithm> algorithms) {
    this.crc = algorithms.contains(Algorithm.CRC32C) ? new CRC32C() : null;
    this.md5 = algorithms.contains(Algorithm.MD5) ? messageDigest("MD5") : null;
    this.sha256 = algorithms.contains(Algorithm.SHA256) ? messageDigest("SHA-256") : null;
  }

  /** A digester computing {@code first} and {@code rest}. */
  public static Digester of(Algorithm first, Algorithm... rest) {
    return new Digester(EnumSet.of(first, rest));
  }

  /** No checksum, only the length: for a relay that reports a body's end, not its bytes. */
  public static Digester countingOnly() {
    return new Digester(EnumSet.noneOf(Algorithm.class));
  }

  /** MD5 and SHA-256: what S3's put and the ledger need. */
  public static Digester forS3() {
    return of(Algorithm.MD5, Algorithm.SHA256);
  }

  /** Adds the buffer's remaining bytes; its position is left where it was. */
  public void update(ByteBuffer buffer) {
    if (crc != null) {
      crc.update(buffer.duplicate());
    }
    if (md5 != null) {
      md5.update(buffer.duplicate());
    }
    if (sha256 != null) {
      sha256.update(buffer.duplicate());
    }
    length += buffer.remaining();
  }

  /** Bytes added so far. */
  public long length() {
    return length;
  }

  /** The checksums of everything added; call once, at the end of the body. */
  public Digests finish() {
    HexFormat hex = HexFormat.of();
    return new Digests(
        length,
        crc == null ? null : String.format("%08x", crc.getValue()),
        md5 == null ? null : hex.formatHex(md5.digest()),
        sha256 == null ? null : hex.formatHex(sha256.digest()));
  }

  /**
   * MD5 and SHA-256 of {@code length} bytes of {@code file} from {@code offset}, read in chunks.
   *
   * @throws IOException if the file cannot be read or ends before the region does
   */
  public static Digests ofFile(Path file, long offset, long length) throws IOException {
    Digester digester = forS3();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(FILE_CHUNK);
      long position = offset;
      long end = offset + length;
      while (position < end) {
        buffer.clear().limit((int) Math.min(FILE_CHUNK, end - position));
        int read = channel.read(buffer, position);
        if (read < 0) {
          throw new IOException("file " + file + " ended at " + position);
        }
        digester.update(buffer.flip());
        position += read;
      }
    }
    return digester.finish();
  }

  /** A JDK message digest that every JVM must have. */
  public static MessageDigest messageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK without " + algorithm, e);
    }
  }
}
