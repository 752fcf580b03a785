package io.docshift.write;

import io.docshift.core.digest.Digester;
import io.docshift.core.digest.Digests;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.reactivestreams.Publisher;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * A run of bytes in a spool file: the {@code file} part inside a spooled request body, a decoded
 * data URI, or an assembled {@code upload_large} file. Every reader opens its own channel, so the
 * two stores of a tee read the same region independently, each at its own pace.
 *
 * @param file the spool file
 * @param offset first byte
 * @param length number of bytes
 */
record FileRegion(Path file, long offset, long length) {
  private static final int CHUNK = 64 * 1024;

  /** The whole of {@code file}. */
  static FileRegion whole(Path file, long length) {
    return new FileRegion(file, 0, length);
  }

  /** A fresh publisher of the region's bytes, read from disk as the subscriber asks. */
  Publisher<ByteBuffer> publisher() {
    return AsyncRequestBody.fromFile(
        FileRequestBodyConfiguration.builder()
            .path(file)
            .position(offset)
            .numBytesToRead(length)
            .chunkSizeInBytes(CHUNK)
            .build());
  }

  /** Length, MD5 and SHA-256 of the region (lowercase hex). */
  Digests digests() throws IOException {
    return Digester.ofFile(file, offset, length);
  }

  /** Up to the first {@code n} bytes, for sniffing the format. */
  byte[] head(int n) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(n, length));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          break;
        }
      }
    }
    return buffer.array();
  }

  /** A blocking stream of the region's bytes; the caller closes it. */
  InputStream stream() throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(offset);
    InputStream all = Channels.newInputStream(channel);
    return new BufferedInputStream(new BoundedInputStream(all, length), CHUNK);
  }

  /** Copies the region into {@code target} at {@code position}. */
  void copyTo(FileChannel target, long position) throws IOException {
    try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ)) {
      long done = 0;
      while (done < length) {
        long n = source.transferTo(offset + done, length - done, target.position(position + done));
        if (n <= 0) {
          throw new IOException("spool file " + file + " ended early");
        }
        done += n;
      }
    }
  }

  /** Stops after {@code remaining} bytes. */
  private static final class BoundedInputStream extends FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }
}
