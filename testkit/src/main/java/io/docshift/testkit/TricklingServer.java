package io.docshift.testkit;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP server that is never silent for long and never done: it answers one request at once with
 * {@code head} (status line, headers and the start of a body), then sends one {@code filler} byte
 * every 200 ms. It stands for an upstream whose every single wait is short but whose answer never
 * ends, so a client's total deadline is what must cut it. {@link #dropped()} tells when the client
 * closed the connection.
 */
public final class TricklingServer implements AutoCloseable {
  /** The pace of the trickle: well under any response (idle) timeout a test sets. */
  private static final long BYTE_EVERY_MILLIS = 200;

  private static final int FILLER_BYTES = 10_000;

  private final ServerSocket server;
  private final ExecutorService trickler = Executors.newSingleThreadExecutor();
  private final String head;
  private final char filler;
  private volatile boolean dropped;

  private TricklingServer(String head, char filler) throws IOException {
    this.head = requireNonNull(head, "head");
    this.filler = filler;
    this.server = new ServerSocket(0);
  }

  /**
   * Listens on an ephemeral loopback port and serves the first request it accepts.
   *
   * @param head what is sent at once, in US-ASCII: {@code "HTTP/1.1 200 OK\r\n...\r\n\r\n"}
   * @throws IOException when no port can be bound
   */
  public static TricklingServer start(String head, char filler) throws IOException {
    TricklingServer server = new TricklingServer(head, filler);
    server.trickler.submit(server::trickle);
    return server;
  }

  /** The server's base URL, {@code http://127.0.0.1:port}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Whether the client has closed (or reset) the connection while the trickle went on. */
  public boolean dropped() {
    return dropped;
  }

  private Void trickle() throws Exception {
    try (Socket socket = server.accept()) {
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String line = in.readLine();
      while (line != null && !line.isEmpty()) {
        line = in.readLine();
      }
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < FILLER_BYTES; i++) {
        out.write(filler);
        out.flush();
        // The pace of the answer, not a wait for another thread.
        Thread.sleep(BYTE_EVERY_MILLIS);
      }
    } catch (IOException e) {
      dropped = true;
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    trickler.shutdownNow();
    server.close();
  }
}
