package io.docshift.proxy;

import io.docshift.testkit.TcpRelay;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link TcpRelay} in front of a real server (S3Proxy) that passes every byte unchanged until a
 * test arms a cut: then the answer to the next request whose request line names a marker is cut
 * after a number of its body bytes, by a reset ({@code SO_LINGER} 0) or a clean close (a body
 * ending early).
 */
final class CutRelay implements AutoCloseable {
  /** How the connection ends at the cut. */
  enum How {
    RESET,
    CLOSE,
    /** Flips the lowest bit of the byte at the offset and relays the rest unchanged. */
    FLIP
  }

  private record Cut(String marker, long bodyBytes, How how) {}

  private final AtomicReference<Cut> armed = new AtomicReference<>();
  private final AtomicInteger cuts = new AtomicInteger();
  private final TcpRelay relay;

  CutRelay(URI target) throws IOException {
    this.relay = TcpRelay.start(target, Cutting::new);
  }

  URI url() {
    return relay.url();
  }

  /** Cuts the answer to the next request naming {@code marker} after {@code bodyBytes}. */
  void cutNext(String marker, long bodyBytes, How how) {
    armed.set(new Cut(marker, bodyBytes, how));
  }

  /**
   * The server goes away: every relayed connection is reset now, and new ones are reset as soon as
   * they are accepted, until {@link #heal()}.
   */
  void down() throws IOException {
    relay.down();
  }

  /** Connections are relayed again. */
  void heal() {
    relay.heal();
  }

  /** How many answers were cut (or had a bit flipped) so far. */
  int cuts() {
    return cuts.get();
  }

  /** Relayed connections now open. */
  int openConnections() {
    return relay.openConnections();
  }

  @Override
  public void close() throws IOException {
    relay.close();
  }

  /**
   * One connection's rule: takes the armed cut with its request, then counts its answer's bytes.
   */
  private final class Cutting implements TcpRelay.Rule {
    private final AtomicReference<Cut> cut = new AtomicReference<>();
    private int headerMatch;
    private long body = -1;

    @Override
    public boolean request(byte[] buffer, int n, TcpRelay.Link link) {
      Cut wanted = armed.get();
      if (wanted != null
          && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains(wanted.marker())
          && armed.compareAndSet(wanted, null)) {
        cut.set(wanted); // before the request goes on: its answer cannot have started
      }
      return true;
    }

    @Override
    public boolean answer(byte[] buffer, int n, TcpRelay.Link link) throws IOException {
      Cut c = cut.get();
      if (c == null) {
        link.toClient().write(buffer, 0, n);
        return true;
      }
      int i = 0;
      while (body < 0 && i < n) {
        headerMatch = next(headerMatch, buffer[i++]);
        body = headerMatch == 4 ? 0 : -1;
      }
      long room = body < 0 ? n : i + (c.bodyBytes() - body);
      if (room >= n) {
        link.toClient().write(buffer, 0, n);
        body += body < 0 ? 0 : n - i;
        return true;
      }
      if (c.how() == How.FLIP) {
        buffer[(int) room] ^= 1;
        link.toClient().write(buffer, 0, n);
        cuts.incrementAndGet();
        cut.set(null);
        headerMatch = 0;
        body = -1;
        return true;
      }
      link.toClient().write(buffer, 0, (int) room);
      link.toClient().flush();
      cuts.incrementAndGet();
      if (c.how() == How.RESET) {
        link.reset();
      } else {
        link.close();
      }
      return false;
    }

    /** Matches {@code \r\n\r\n} one byte at a time: how many of its bytes were seen in a row. */
    private int next(int matched, byte b) {
      char expected = matched % 2 == 0 ? '\r' : '\n';
      if (b == expected) {
        return matched + 1;
      }
      return b == '\r' ? 1 : 0;
    }
  }
}
