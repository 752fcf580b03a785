package io.docshift.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of a real server (S3Proxy) for upload faults: it passes every byte unchanged
 * until a test pauses the client-to-server direction after some bytes (a stalled upstream: the
 * client's socket buffers fill and its writes stop) or arms a reset after a number of uploaded
 * bytes (a connection broken mid-request). Bytes are relayed, not re-encoded, so signatures over
 * the {@code Host} header still match.
 */
public final class UploadRelay implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicLong uploaded = new AtomicLong();
  private final AtomicLong resetAt = new AtomicLong(-1);
  private final AtomicLong pauseAt = new AtomicLong(-1);
  private final Object gate = new Object();
  private boolean paused;

  private UploadRelay(URI target) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  /** A relay on an ephemeral loopback port to {@code target}'s host and port. */
  public static UploadRelay to(URI target) throws IOException {
    return new UploadRelay(target);
  }

  /** The relay's base URL: plain http on the loopback address. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Client-to-server bytes relayed so far. */
  public long uploaded() {
    return uploaded.get();
  }

  /**
   * Stops relaying uploads (nothing more is read from clients) once {@code bytes} more went by,
   * until {@link #resume()}.
   */
  public void pauseAfter(long bytes) {
    pauseAt.set(uploaded.get() + bytes);
  }

  /** Relays uploads again. */
  public void resume() {
    synchronized (gate) {
      paused = false;
      pauseAt.set(-1);
      gate.notifyAll();
    }
  }

  /** Resets (RST) the connection that carries uploaded byte number {@code uploaded() + bytes}. */
  public void resetAfter(long bytes) {
    resetAt.set(uploaded.get() + bytes);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        sockets.add(client);
        sockets.add(upstream);
        threads.execute(() -> upload(client, upstream));
        threads.execute(() -> pump(upstream, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void upload(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        long pause = pauseAt.get();
        if (pause >= 0 && uploaded.get() >= pause && pauseAt.compareAndSet(pause, -1)) {
          synchronized (gate) {
            paused = true;
          }
        }
        awaitResumed();
        long limit = resetAt.get();
        long before = uploaded.getAndAdd(n);
        if (limit >= 0 && before + n >= limit && resetAt.compareAndSet(limit, -1)) {
          out.write(buffer, 0, (int) Math.max(0, limit - before));
          reset(from);
          reset(to);
          return;
        }
        out.write(buffer, 0, n);
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void awaitResumed() throws InterruptedException {
    synchronized (gate) {
      while (paused) {
        gate.wait();
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    resume();
    server.close();
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
    threads.shutdownNow();
  }
}
