package io.docshift.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP relay in front of a real server (S3Proxy) that passes every byte unchanged until a test
 * arms a cut: then the answer to the next request whose request line names a marker is cut after a
 * number of its body bytes, by a reset ({@code SO_LINGER} 0) or a clean close (a body ending
 * early). Bytes are relayed, not re-encoded, so signatures over the {@code Host} header still
 * match.
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

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicReference<Cut> armed = new AtomicReference<>();
  private final AtomicInteger cuts = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Connection> live = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  CutRelay(URI target) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.server = new ServerSocket(0);
    threads.submit(this::accept);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
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
    down = true;
    for (Connection c : live) {
      c.reset();
    }
  }

  /** Connections are relayed again. */
  void heal() {
    down = false;
  }

  /** How many answers were cut (or had a bit flipped) so far. */
  int cuts() {
    return cuts.get();
  }

  /** Relayed connections now open. */
  int openConnections() {
    return open.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (down) {
          client.setSoLinger(true, 0);
          client.close();
          continue;
        }
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        open.incrementAndGet();
        Connection c = new Connection(client, upstream);
        live.add(c);
        threads.submit(c::requests);
        threads.submit(c::answers);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** One relayed connection: requests one way, answers (maybe cut) the other. */
  private final class Connection {
    private final Socket client;
    private final Socket upstream;
    private final AtomicReference<Cut> cut = new AtomicReference<>();
    private final AtomicInteger ends = new AtomicInteger();

    Connection(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void requests() {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = client.getInputStream();
          OutputStream out = upstream.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          Cut wanted = armed.get();
          if (wanted != null
              && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains(wanted.marker())
              && armed.compareAndSet(wanted, null)) {
            cut.set(wanted); // before the request goes on: its answer cannot have started
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side ended the connection
      } finally {
        end();
      }
    }

    void answers() {
      byte[] buffer = new byte[16 * 1024];
      int headerMatch = 0;
      long body = -1;
      try (InputStream in = upstream.getInputStream();
          OutputStream out = client.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          Cut c = cut.get();
          if (c == null) {
            out.write(buffer, 0, n);
            continue;
          }
          int i = 0;
          while (body < 0 && i < n) {
            headerMatch = next(headerMatch, buffer[i++]);
            body = headerMatch == 4 ? 0 : -1;
          }
          long room = body < 0 ? n : i + (c.bodyBytes() - body);
          if (room >= n) {
            out.write(buffer, 0, n);
            body += body < 0 ? 0 : n - i;
            continue;
          }
          if (c.how() == How.FLIP) {
            buffer[(int) room] ^= 1;
            out.write(buffer, 0, n);
            cuts.incrementAndGet();
            cut.set(null);
            headerMatch = 0;
            body = -1;
            continue;
          }
          out.write(buffer, 0, (int) room);
          out.flush();
          cutHere(c.how());
          return;
        }
      } catch (IOException e) {
        // the other side ended the connection
      } finally {
        end();
      }
    }

    /** Matches {@code \r\n\r\n} one byte at a time: how many of its bytes were seen in a row. */
    private int next(int matched, byte b) {
      char expected = matched % 2 == 0 ? '\r' : '\n';
      if (b == expected) {
        return matched + 1;
      }
      return b == '\r' ? 1 : 0;
    }

    void reset() throws IOException {
      client.setSoLinger(true, 0);
      client.close();
      upstream.close();
    }

    private void cutHere(How how) throws IOException {
      cuts.incrementAndGet();
      if (how == How.RESET) {
        client.setSoLinger(true, 0);
      }
      client.close();
      upstream.close();
    }

    private void end() {
      try {
        client.close();
        upstream.close();
      } catch (IOException e) {
        // already closed
      }
      if (ends.incrementAndGet() == 2) {
        open.decrementAndGet();
        live.remove(this);
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
