package io.docshift.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A TCP relay in front of a real server, for fault injection: each accepted connection gets one to
 * the target, and bytes go both ways unchanged (one thread per direction) except where the {@link
 * Rule} made for that connection says otherwise. Bytes are relayed, not re-encoded, so signatures
 * over the {@code Host} header still match. The relay can also go {@link #down()}: every relayed
 * connection is reset and new ones are reset as soon as they are accepted.
 */
public final class TcpRelay implements AutoCloseable {
  /** What happens to one connection's bytes; made once per connection, so it may keep state. */
  public interface Rule {
    /**
     * Called with each read of the client's request bytes before they go on.
     *
     * @return false when the rule answered the client itself: nothing more is relayed upstream
     */
    default boolean request(byte[] buffer, int n, Link link)
        throws IOException, InterruptedException {
      return true;
    }

    /**
     * Called with each read of the server's answer; writes what the client gets.
     *
     * @return false when the rule ended the connection (a cut)
     */
    default boolean answer(byte[] buffer, int n, Link link)
        throws IOException, InterruptedException {
      link.toClient().write(buffer, 0, n);
      return true;
    }
  }

  private final InetSocketAddress target;
  private final Supplier<Rule> rules;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Link> live = ConcurrentHashMap.newKeySet();
  private volatile boolean down;

  private TcpRelay(URI target, Supplier<Rule> rules) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.rules = rules;
    this.server = new ServerSocket(0);
  }

  /** Starts relaying to {@code target}'s host and port, each connection under a new rule. */
  public static TcpRelay start(URI target, Supplier<Rule> rules) throws IOException {
    TcpRelay relay = new TcpRelay(target, rules);
    relay.threads.submit(relay::accept);
    return relay;
  }

  /** Where clients connect: the relay's loopback port. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Relayed connections open now. */
  public int openConnections() {
    return open.get();
  }

  /** The server goes away: relayed connections are reset now, new ones when accepted. */
  public void down() throws IOException {
    down = true;
    for (Link link : live) {
      link.reset();
    }
  }

  /** Connections are relayed again. */
  public void heal() {
    down = false;
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
        Link link = new Link(client, new Socket(target.getAddress(), target.getPort()));
        open.incrementAndGet();
        live.add(link);
        Rule rule = rules.get();
        threads.submit(() -> link.requests(rule));
        threads.submit(() -> link.answers(rule));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }

  /** One relayed connection, as its rule sees it. */
  public final class Link {
    private final Socket client;
    private final Socket upstream;
    private final AtomicInteger ends = new AtomicInteger();

    private Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    /** The client's side: what a rule writes reaches the client. */
    public OutputStream toClient() throws IOException {
      return client.getOutputStream();
    }

    /** Ends the connection with a reset ({@code SO_LINGER} 0): the client sees the peer fail. */
    public void reset() throws IOException {
      client.setSoLinger(true, 0);
      close();
    }

    /** Ends the connection with a clean close: a body ending early. */
    public void close() throws IOException {
      client.close();
      upstream.close();
    }

    private void requests(Rule rule) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = client.getInputStream();
          OutputStream out = upstream.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          if (!rule.request(buffer, n, this)) {
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the other side ended the connection, or the relay closed
      } finally {
        end();
      }
    }

    private void answers(Rule rule) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = upstream.getInputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          if (!rule.answer(buffer, n, this)) {
            return;
          }
        }
      } catch (IOException | InterruptedException e) {
        // the other side ended the connection, or the relay closed
      } finally {
        end();
      }
    }

    private void end() {
      try {
        close();
      } catch (IOException e) {
        // already closed
      }
      if (ends.incrementAndGet() == 2) {
        open.decrementAndGet();
        live.remove(this);
      }
    }
  }
}
