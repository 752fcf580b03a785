package io.docshift.sandbox.seed;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Collections;
import java.util.List;

/**
 * A document's bytes as parts read in order: a wrapper head (the PDF objects before the page image,
 * else empty), the encoded scan split at the point where padding is legal, the padding generated on
 * the fly, the rest of the scan, and a wrapper tail (the PDF xref and trailer).
 */
final class Assembly {
  private static final byte[] NONE = new byte[0];

  private final byte[] head;
  private final byte[] core;
  private final int split;
  private final Padding.Framing framing;
  private final long paddingLength;
  private final long paddingSeed;
  private final byte[] tail;

  private Assembly(
      byte[] head,
      byte[] core,
      int split,
      Padding.Framing framing,
      long paddingLength,
      long paddingSeed,
      byte[] tail) {
    this.head = head;
    this.core = core;
    this.split = split;
    this.framing = framing;
    this.paddingLength = paddingLength;
    this.paddingSeed = paddingSeed;
    this.tail = tail;
  }

  /** A bare image padded to {@code length} at {@code split}. */
  static Assembly image(
      byte[] core, int split, Padding.Framing framing, long length, long paddingSeed) {
    return new Assembly(NONE, core, split, framing, length - core.length, paddingSeed, NONE);
  }

  /** An image padded to {@code imageLength}, wrapped between {@code head} and {@code tail}. */
  static Assembly wrapped(
      byte[] head, byte[] core, int split, long imageLength, long paddingSeed, byte[] tail) {
    return new Assembly(
        head,
        core,
        split,
        Padding.Framing.JPEG_COMMENT,
        imageLength - core.length,
        paddingSeed,
        tail);
  }

  long length() {
    return head.length + core.length + paddingLength + tail.length;
  }

  InputStream open() {
    List<InputStream> parts =
        List.of(
            new ByteArrayInputStream(head),
            new ByteArrayInputStream(core, 0, split),
            new Padding(framing, paddingLength, paddingSeed),
            new ByteArrayInputStream(core, split, core.length - split),
            new ByteArrayInputStream(tail));
    return new SequenceInputStream(Collections.enumeration(parts));
  }
}
