import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A slow S3 for loadtest/bench-read.sh (HEDGE=1): a loopback TCP relay in front of S3Proxy that
 * holds a share of the GET requests back for a fixed time before passing them on, so their answers
 * start that much later. Bytes are relayed unchanged (SigV4 signs the Host header the client sent,
 * which is this relay's), requests one at a time per connection as DocShift's pooled client sends
 * them.
 *
 * <pre>
 *   java loadtest/DelayRelay.java LISTEN_PORT TARGET_PORT PERCENT DELAY_MS STATS_FILE
 * </pre>
 *
 * Every 100 ms it writes "GETs delayed" (the counts so far) to STATS_FILE. Bounded: at most 512
 * connections at once, loopback only; it stops with the process that started it.
 */
public final class DelayRelay {
  private static final int MAX_CONNECTIONS = 512;
  private static final AtomicLong GETS = new AtomicLong();
  private static final AtomicLong DELAYED = new AtomicLong();

  public static void main(String[] args) throws Exception {
    int listen = Integer.parseInt(args[0]);
    int target = Integer.parseInt(args[1]);
    double percent = Double.parseDouble(args[2]);
    long delayMillis = Long.parseLong(args[3]);
    Path stats = Path.of(args[4]);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ExecutorService threads = Executors.newFixedThreadPool(2 * MAX_CONNECTIONS);
    Thread reporter = new Thread(() -> report(stats), "stats");
    reporter.setDaemon(true);
    reporter.start();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(loopback, listen), 128);
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket(loopback, target);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        threads.submit(() -> requests(client, upstream, percent, delayMillis));
        threads.submit(() -> pipe(upstream, client));
      }
    }
  }

  /**
   * Client to S3: each request head (GET and HEAD carry no body; a body after a head with a
   * Content-Length is passed on as it comes) is held back first when it is a delayed GET.
   */
  private static void requests(Socket client, Socket upstream, double percent, long delayMillis) {
    try (client;
        upstream) {
      InputStream in = new java.io.BufferedInputStream(client.getInputStream(), 64 * 1024);
      OutputStream out = upstream.getOutputStream();
      byte[] head;
      while ((head = readHead(in)) != null) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("GET ")) {
          GETS.incrementAndGet();
          if (ThreadLocalRandom.current().nextDouble(100) < percent) {
            DELAYED.incrementAndGet();
            Thread.sleep(delayMillis);
          }
        }
        out.write(head);
        out.flush();
        copyBody(in, out, contentLength(text));
      }
    } catch (IOException | InterruptedException e) {
      // the connection ended: both sockets are closed above
    }
  }

  /** Bytes up to and including the blank line, or null at the end of the stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream(512);
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
      if (matched == 4) {
        return head.toByteArray();
      }
    }
    return null;
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    return 0;
  }

  private static void copyBody(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (length > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, length));
      if (n < 0) {
        throw new IOException("body ended early");
      }
      out.write(buffer, 0, n);
      length -= n;
    }
    out.flush();
  }

  /** S3 to client, unchanged. */
  private static void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (from;
        to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // either side closed
    }
  }

  private static void report(Path stats) {
    while (true) {
      try {
        Files.writeString(stats, GETS.get() + " " + DELAYED.get() + "\n");
        Thread.sleep(100);
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }
}
