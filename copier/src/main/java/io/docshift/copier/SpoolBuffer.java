package io.docshift.copier;

import java.io.IOException;
import java.nio.ByteBuffer;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * Where a download's bytes wait between Cloudinary and S3: written once while they are hashed, then
 * read as often as the upload is tried ({@link #body()} is replayable). Either a heap buffer
 * ({@link MemorySpoolBuffer}) or a file ({@link FileSpoolBuffer}); {@link Spool} picks. Closing
 * frees the bytes; it is idempotent and safe after a failed write.
 */
public interface SpoolBuffer extends AutoCloseable {
  /** Appends the buffer's remaining bytes; called by one thread at a time. */
  void write(ByteBuffer bytes) throws IOException;

  /** Every byte is written; {@link #body()} may be called from now on. */
  void finish() throws IOException;

  /** A fresh upload body of every byte written. */
  AsyncRequestBody body();

  @Override
  void close();
}
