package io.docshift.proxy.admin;

import static java.util.Objects.requireNonNull;

import io.docshift.core.ledger.Ledger;
import io.docshift.core.traffic.control.TrafficControl;
import io.docshift.proxy.graphql.GraphqlEndpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin API on its own port: {@code GET|PUT /admin/traffic}, {@code POST
 * /admin/traffic/resume}, {@code GET /admin/audit?limit=}, {@code GET /admin/migration} and {@code
 * GET /metrics} (Prometheus text from the supplier). Every request needs {@code Authorization:
 * Bearer <admin.token>}; refusals are answered 401 and audited. The claimed operator name comes
 * from the {@code X-DocShift-Actor} header (default {@code admin-api}).
 *
 * <p>Owns one event loop thread and two worker threads for the blocking routes, independent of the
 * proxy's loops, so the proxy's load never delays a revert or a resume. {@link #close()} stops
 * them; the control and ledger stay open.
 */
public final class AdminServer implements AutoCloseable {
  private final EventLoopGroup loop;
  private final EventExecutorGroup workers;
  private final Channel server;

  private AdminServer(EventLoopGroup loop, EventExecutorGroup workers, Channel server) {
    this.loop = loop;
    this.workers = workers;
    this.server = server;
  }

  /**
   * Binds and serves.
   *
   * @param port 0 picks a free port
   * @param token the bearer token; empty refuses every request
   * @param metrics Prometheus text for {@code GET /metrics}, called per scrape
   * @throws IllegalStateException when the address cannot be bound
   */
  public static AdminServer start(
      String host,
      int port,
      String token,
      TrafficControl control,
      Ledger ledger,
      Supplier<String> metrics) {
    return start(host, port, token, control, ledger, metrics, null);
  }

  /**
   * Binds and serves, with {@code GET|POST /graphql} answered by {@code graphql} (null: 404). The
   * endpoint stays the caller's to close.
   */
  public static AdminServer start(
      String host,
      int port,
      String token,
      TrafficControl control,
      Ledger ledger,
      Supplier<String> metrics,
      GraphqlEndpoint graphql) {
    requireNonNull(host, "host");
    requireNonNull(token, "token");
    requireNonNull(control, "control");
    requireNonNull(ledger, "ledger");
    requireNonNull(metrics, "metrics");
    AdminRoutes routes = new AdminRoutes(control, ledger, metrics, graphql);
    BearerAuth auth = new BearerAuth(token);
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventExecutorGroup workers = new DefaultEventExecutorGroup(2);
    AdminInitializer pipeline =
        new AdminInitializer(() -> new AdminHandler(auth, ledger.audit(), routes, workers));
    try {
      Channel server =
          new ServerBootstrap()
              .group(loop)
              .channel(NioServerSocketChannel.class)
              .childHandler(pipeline)
              .bind(host, port)
              .syncUninterruptibly()
              .channel();
      return new AdminServer(loop, workers, server);
    } catch (RuntimeException e) {
      loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new IllegalStateException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** The port listened on (the actual one when 0 was asked). */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** {@code http://host:port} of the admin API. */
  public URI baseUrl() {
    InetSocketAddress address = (InetSocketAddress) server.localAddress();
    return URI.create("http://" + address.getHostString() + ":" + port());
  }

  /** Stops listening, closes connections and stops the threads; idempotent. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
