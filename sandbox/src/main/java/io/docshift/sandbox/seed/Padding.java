package io.docshift.sandbox.seed;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/**
 * Format-legal filler that brings a file to its exact target length without breaking it: a run of
 * JPEG comment segments or of private ancillary PNG chunks, filled with random (incompressible)
 * bytes. It is generated segment by segment while read, so a 10 MiB document never holds more than
 * one 64 KiB segment of padding in heap.
 */
final class Padding extends InputStream {
  /** How the padding is framed: the segment header/trailer bytes and the largest payload. */
  enum Framing {
    /** JPEG COM marker segments: {@code FF FE}, a 2-byte length that counts itself, the payload. */
    JPEG_COMMENT(4, 65_533),
    /**
     * PNG chunks of the private, ancillary, safe-to-copy type {@code dsPd}: 4-byte length, type,
     * payload, CRC-32. Decoders skip unknown ancillary chunks by definition (PNG spec §5.4).
     */
    PNG_CHUNK(12, 65_536);

    private final int overhead;
    private final int maxPayload;

    Framing(int overhead, int maxPayload) {
      this.overhead = overhead;
      this.maxPayload = maxPayload;
    }

    /** Smallest non-empty padding: one segment with an empty payload. */
    int overhead() {
      return overhead;
    }
  }

  private static final byte[] PNG_TYPE = "dsPd".getBytes(StandardCharsets.US_ASCII);

  private final Framing framing;
  private final SplittableRandom random;
  private final byte[] segment;
  private long remaining;
  private int position;
  private int limit;

  /**
   * Padding of exactly {@code length} bytes: 0, or at least {@link Framing#overhead()}.
   *
   * @throws IllegalArgumentException if no run of segments can be exactly that long
   */
  Padding(Framing framing, long length, long seed) {
    if (length < 0 || (length > 0 && length < framing.overhead)) {
      throw new IllegalArgumentException(
          "padding length: " + length + " (expected: 0 or >= " + framing.overhead + ")");
    }
    this.framing = framing;
    this.remaining = length;
    this.random = new SplittableRandom(seed);
    this.segment = new byte[framing.overhead + framing.maxPayload];
  }

  @Override
  public int read() {
    if (position == limit && !nextSegment()) {
      return -1;
    }
    return segment[position++] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    if (position == limit && !nextSegment()) {
      return -1;
    }
    int count = Math.min(length, limit - position);
    System.arraycopy(segment, position, buffer, offset, count);
    position += count;
    return count;
  }

  @Override
  public int available() {
    return limit - position;
  }

  private boolean nextSegment() {
    if (remaining == 0) {
      return false;
    }
    int size = (int) nextSegmentSize(remaining, framing);
    remaining -= size;
    int payload = size - framing.overhead;
    if (framing == Framing.JPEG_COMMENT) {
      frameComment(payload);
    } else {
      frameChunk(payload);
    }
    position = 0;
    limit = size;
    return true;
  }

  /**
   * Size of the next segment so that whatever is left can still be framed: a full segment unless
   * that would leave fewer bytes than one empty segment needs.
   */
  static long nextSegmentSize(long remaining, Framing framing) {
    long full = framing.overhead + framing.maxPayload;
    if (remaining <= full) {
      return remaining;
    }
    return remaining - full >= framing.overhead ? full : remaining - framing.overhead;
  }

  private void frameComment(int payload) {
    segment[0] = (byte) 0xFF;
    segment[1] = (byte) 0xFE;
    segment[2] = (byte) ((payload + 2) >>> 8);
    segment[3] = (byte) (payload + 2);
    fillRandom(4, payload);
  }

  private void frameChunk(int payload) {
    putInt(0, payload);
    System.arraycopy(PNG_TYPE, 0, segment, 4, 4);
    fillRandom(8, payload);
    CRC32 crc = new CRC32();
    crc.update(segment, 4, 4 + payload);
    putInt(8 + payload, (int) crc.getValue());
  }

  private void putInt(int at, int value) {
    segment[at] = (byte) (value >>> 24);
    segment[at + 1] = (byte) (value >>> 16);
    segment[at + 2] = (byte) (value >>> 8);
    segment[at + 3] = (byte) value;
  }

  private void fillRandom(int from, int count) {
    int i = from;
    int end = from + count;
    while (i < end) {
      long bits = random.nextLong();
      for (int b = 0; b < 8 && i < end; b++, bits >>>= 8) {
        segment[i++] = (byte) bits;
      }
    }
  }
}
