package io.docshift.copier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import software.amazon.awssdk.core.FileRequestBodyConfiguration;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * A download on local disk, for documents too large for the memory budget or of unknown length. The
 * file is created in the spool directory and deleted on {@link #close()}.
 */
public final class FileSpoolBuffer implements SpoolBuffer {
  /** Read-back chunk for the upload; the SDK's 16 KiB default costs a buffer and a hop per read. */
  private static final int CHUNK = 256 * 1024;

  private final Path file;
  private final FileChannel channel;

  private FileSpoolBuffer(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** A new, empty spool file in {@code dir}. */
  static FileSpoolBuffer create(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "docshift-backfill-", ".spool");
    try {
      return new FileSpoolBuffer(file, FileChannel.open(file, StandardOpenOption.WRITE));
    } catch (IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  @Override
  public void finish() throws IOException {
    channel.close();
  }

  @Override
  public AsyncRequestBody body() {
    return AsyncRequestBody.fromFile(
        FileRequestBodyConfiguration.builder().path(file).chunkSizeInBytes(CHUNK).build());
  }

  @Override
  public void close() {
    try {
      channel.close();
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Best effort: the file is in the spool directory and holds a copy of one document at most.
    }
  }
}
