package io.docshift.proxy.pipeline;

import io.netty.buffer.ByteBuf;

/**
 * Follows the bytes of one chunked request body as the decoder consumes them, only to find a bare
 * LF in its trailer section. The decoder in lenient line mode (so that a head with LF-only lines is
 * accepted, as RFC 9112 §2.2 allows) would also take LF-only trailer lines, and the end of the
 * trailer section is where a peer that parses line ends differently would see the next request
 * start somewhere else. Chunk-size lines and the CRLF after chunk data the decoder checks itself,
 * whatever its line mode, so this only needs to skip over them: it trusts their framing.
 */
final class TrailerLineEnds {
  private enum State {
    SIZE,
    EXTENSION,
    DATA,
    DATA_END,
    TRAILER
  }

  private State state = State.SIZE;
  private long size;
  private long remaining;
  private boolean previousCr;
  private boolean bareLf;

  /** Starts over for the next chunked body. */
  void reset() {
    state = State.SIZE;
    size = 0;
    remaining = 0;
    previousCr = false;
    bareLf = false;
  }

  /** Whether a line of the trailer section fed so far ended in LF without CR. */
  boolean sawBareLf() {
    return bareLf;
  }

  /** Feeds the body bytes {@code in[from, to)}, in the order the decoder consumed them. */
  void feed(ByteBuf in, int from, int to) {
    int i = from;
    while (i < to) {
      if (state == State.DATA) {
        int skipped = (int) Math.min(remaining, to - i);
        i += skipped;
        remaining -= skipped;
        if (remaining == 0) {
          state = State.DATA_END;
          remaining = 2;
        }
      } else {
        step(in.getByte(i++));
      }
    }
  }

  private void step(byte b) {
    switch (state) {
      case SIZE -> size(b);
      case EXTENSION -> {
        if (b == '\n') {
          endOfSizeLine();
        }
      }
      case DATA_END -> {
        if (--remaining == 0) {
          state = State.SIZE;
        }
      }
      case TRAILER -> {
        if (b == '\n' && !previousCr) {
          bareLf = true;
        }
        previousCr = b == '\r';
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void size(byte b) {
    int digit = Character.digit(b, 16);
    if (digit >= 0) {
      // The decoder refuses sizes that overflow; saturate so a refused one cannot wrap here.
      size = size > (Long.MAX_VALUE >> 4) ? Long.MAX_VALUE : (size << 4) | digit;
    } else if (b == '\n') {
      endOfSizeLine();
    } else {
      state = State.EXTENSION;
    }
  }

  private void endOfSizeLine() {
    if (size == 0) {
      state = State.TRAILER;
      previousCr = false;
    } else {
      state = State.DATA;
      remaining = size;
      size = 0;
    }
  }
}
