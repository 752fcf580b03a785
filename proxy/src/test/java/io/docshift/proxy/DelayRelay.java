package io.docshift.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP relay in front of a real server (S3Proxy or the emulator) that slows or fails the answers
 * to requests whose request line names a marker: the answer's first bytes are held for a delay (a
 * slow response head), or the request is not passed on and a {@code 503} answers it after the
 * delay. Other bytes pass unchanged, so signatures over the {@code Host} header still match. It
 * counts the requests naming each marker and the connections open, so a test can tell that an
 * answer nobody served was released (its connection closed or reused, not held).
 */
final class DelayRelay implements AutoCloseable {
  private record Rule(Duration delay, boolean fail) {}

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, Rule> rules = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();

  DelayRelay(URI target) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.server = new ServerSocket(0);
    threads.submit(this::accept);
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Answers to requests naming {@code marker} start only after {@code delay}. */
  void slow(String marker, Duration delay) {
    rules.put(marker, new Rule(delay, false));
  }

  /** Requests naming {@code marker} are answered {@code 503} after {@code delay}, not passed on. */
  void fail(String marker, Duration delay) {
    rules.put(marker, new Rule(delay, true));
  }

  /** Requests naming {@code marker} seen so far (passed on or not). */
  int requests(String marker) {
    AtomicInteger n = seen.get(marker);
    return n == null ? 0 : n.get();
  }

  /** Connections open now. */
  int openConnections() {
    return open.get();
  }

  /** Answers being held right now. */
  int held() {
    return held.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        open.incrementAndGet();
        Connection c = new Connection(client, upstream);
        threads.submit(c::requests);
        threads.submit(c::answers);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private Rule match(byte[] buffer, int n) {
    String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    for (Map.Entry<String, Rule> e : rules.entrySet()) {
      if (text.contains(e.getKey())) {
        seen.computeIfAbsent(e.getKey(), k -> new AtomicInteger()).incrementAndGet();
        return e.getValue();
      }
    }
    return null;
  }

  /** One relayed connection: requests one way, answers (maybe held) the other. */
  private final class Connection {
    private final Socket client;
    private final Socket upstream;
    private final AtomicReference<Rule> pending = new AtomicReference<>();
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
          Rule rule = match(buffer, n);
          if (rule != null && rule.fail()) {
            refuse(rule.delay());
            return;
          }
          pending.set(rule); // before the request goes on: its answer cannot have started
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the other side ended the connection
      } finally {
        end();
      }
    }

    private void refuse(Duration delay) throws IOException, InterruptedException {
      hold(delay);
      OutputStream out = client.getOutputStream();
      out.write(
          ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    void answers() {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = upstream.getInputStream();
          OutputStream out = client.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          Rule rule = pending.getAndSet(null);
          if (rule != null) {
            hold(rule.delay());
          }
          out.write(buffer, 0, n);
        }
      } catch (IOException | InterruptedException e) {
        // the other side ended the connection
      } finally {
        end();
      }
    }

    private void hold(Duration delay) throws InterruptedException {
      held.incrementAndGet();
      try {
        Thread.sleep(delay.toMillis()); // the injected fault: a store slow to answer
      } finally {
        held.decrementAndGet();
      }
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
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
