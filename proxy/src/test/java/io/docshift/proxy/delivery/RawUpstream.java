package io.docshift.proxy.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLServerSocket;

/**
 * A one-connection upstream on a plain socket that a test scripts byte by byte: it can answer half
 * a body and reset, stream until its peer closes, or stay silent, none of which a real server does
 * on request. {@link #peerClosed()} completes when a write finds the connection gone.
 */
final class RawUpstream implements AutoCloseable {
  /** What the upstream does with its one accepted connection, after the request head is read. */
  interface Script {
    void run(Socket socket, String head) throws Exception;
  }

  private final ServerSocket server;
  private final ExecutorService thread = Executors.newSingleThreadExecutor();
  private final CompletableFuture<Void> peerClosed = new CompletableFuture<>();

  RawUpstream(Script script) throws IOException {
    this(new ServerSocket(0), script);
  }

  /** On {@code server}, a plain or a TLS server socket. */
  RawUpstream(ServerSocket server, Script script) {
    this.server = server;
    thread.submit(() -> serve(script));
  }

  URI url() {
    String scheme = server instanceof SSLServerSocket ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getLocalPort());
  }

  /** Completes when a write to the accepted connection failed: the relay closed it. */
  CompletableFuture<Void> peerClosed() {
    return peerClosed;
  }

  private Void serve(Script script) throws Exception {
    try (Socket socket = server.accept()) {
      script.run(socket, head(socket.getInputStream()));
    } catch (IOException e) {
      peerClosed.complete(null);
    }
    return null;
  }

  /** Reads a message's start line and headers, up to and including the empty line. */
  static String head(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      out.write(b);
      last4 = (last4 << 8) | b;
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    thread.shutdownNow();
    server.close();
  }
}
