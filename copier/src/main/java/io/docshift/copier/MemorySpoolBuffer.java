package io.docshift.copier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * A download of known length held in one heap array, reserved from a shared byte budget before the
 * first byte arrives and given back on {@link #close()}: no spool file to create, write, read back
 * and delete, and the upload reads the array without copying it. A body longer than the reserved
 * length fails the write instead of growing.
 */
public final class MemorySpoolBuffer implements SpoolBuffer {
  /** The upload is handed to the HTTP client in slices of this size (views, not copies). */
  private static final int SLICE = 256 * 1024;

  private final ByteBuffer bytes;
  private final Semaphore budget;
  private final int reserved;
  private boolean closed;

  /**
   * @param length exact capacity; {@code budget} must already hold {@code length} permits for it
   */
  public MemorySpoolBuffer(int length, Semaphore budget) {
    this.bytes = ByteBuffer.allocate(length);
    this.budget = budget;
    this.reserved = length;
  }

  @Override
  public void write(ByteBuffer source) throws IOException {
    if (source.remaining() > bytes.remaining()) {
      throw new IOException("the body is longer than its Content-Length of " + reserved + " bytes");
    }
    bytes.put(source);
  }

  @Override
  public void finish() {
    bytes.flip();
  }

  @Override
  public AsyncRequestBody body() {
    ByteBuffer all = bytes.asReadOnlyBuffer();
    ByteBuffer[] slices = new ByteBuffer[Math.max(1, (all.remaining() + SLICE - 1) / SLICE)];
    for (int i = 0; i < slices.length; i++) {
      int from = i * SLICE;
      slices[i] = all.slice(from, Math.min(SLICE, all.remaining() - from));
    }
    return AsyncRequestBody.fromRemainingByteBuffersUnsafe(slices);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      budget.release(reserved);
    }
  }
}
