package io.docshift.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store on a plain socket, standing in for Cloudinary and S3 where a test must know whether the
 * proxy called at all, and what it sent. It counts connections and records every byte; when {@code
 * silent} it accepts and reads but never answers (a store that hangs), otherwise it answers each
 * complete request with {@code 200} and a two-byte JSON body.
 */
final class StubBackend implements AutoCloseable {
  private static final byte[] OK =
      ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
              + "ETag: \"0123456789abcdef0123456789abcdef\"\r\n\r\n{}")
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final boolean silent;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  private StubBackend(boolean silent) throws IOException {
    this.silent = silent;
    this.server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "stub-backend-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** A backend that answers 200 to every request. */
  static StubBackend answering() throws IOException {
    return new StubBackend(false);
  }

  /** A backend that accepts TCP and reads, but never answers. */
  static StubBackend silent() throws IOException {
    return new StubBackend(true);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** Connections still open (neither side closed them). */
  long open() {
    return sockets.stream().filter(s -> !s.isClosed()).count();
  }

  /** Everything received so far, as ISO-8859-1 text. */
  String received() {
    synchronized (received) {
      return received.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        sockets.add(socket);
        Thread reader = new Thread(() -> serve(socket), "stub-backend-conn");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      StringBuilder request = new StringBuilder();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        synchronized (received) {
          received.write(buffer, 0, n);
        }
        request.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        while (!silent && complete(request)) {
          socket.getOutputStream().write(OK);
          socket.getOutputStream().flush();
        }
      }
    } catch (IOException e) {
      // The proxy closed or reset the connection: nothing to answer.
    }
  }

  /** Whether {@code buffered} starts with a whole request; if so, removes it. */
  private static boolean complete(StringBuilder buffered) {
    int headerEnd = buffered.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
      return false;
    }
    String head = buffered.substring(0, headerEnd).toLowerCase(Locale.ROOT);
    int end = headerEnd + 4;
    int cl = head.indexOf("\r\ncontent-length:");
    if (cl >= 0) {
      int lineEnd = head.indexOf("\r\n", cl + 2);
      String value = head.substring(cl + 17, lineEnd < 0 ? head.length() : lineEnd).strip();
      end += Integer.parseInt(value);
    } else if (head.contains("\r\ntransfer-encoding:")) {
      int last = buffered.indexOf("\r\n0\r\n\r\n", headerEnd);
      if (last < 0) {
        return false;
      }
      end = last + 7;
    }
    if (buffered.length() < end) {
      return false;
    }
    buffered.delete(0, end);
    return true;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
