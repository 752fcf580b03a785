package io.docshift.proxy.admin;

import static java.util.Objects.requireNonNull;

import io.docshift.ledger.AuditLog;
import io.docshift.ledger.Ledger;
import io.docshift.proxy.ListenerTls;
import io.docshift.proxy.TlsFront;
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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The admin API on its own port: {@code GET|PUT /admin/traffic}, {@code POST
 * /admin/traffic/resume}, {@code GET /admin/audit?limit=}, {@code GET /admin/migration} and {@code
 * GET /metrics} (Prometheus text from the supplier), and the health probes {@code GET /livez} and
 * {@code GET /readyz} ({@link Probes}), which alone need no token, and the operator console at
 * {@code /} ({@link Console}), which signs a browser in with a token and then trusts its cookie.
 * Every other request needs {@code Authorization: Bearer <token>} with one operator's token, and
 * the audit names that operator; refusals are answered 401, counted, and audited as one row per
 * minute ({@link Refusals}); a peer refused ten times in a minute gets 429 until the minute ends.
 *
 * <p>Owns one event loop thread and two worker threads for the blocking routes, independent of the
 * proxy's loops, so the proxy's load never delays a revert or a resume. {@link #close()} stops
 * them; the control and ledger stay open.
 */
public final class AdminServer implements AutoCloseable {
  /** The liveness probe's path (no token). */
  public static final String LIVE_PATH = Probes.LIVE;

  /** The readiness probe's path (no token). */
  public static final String READY_PATH = Probes.READY;

  static final Duration REFUSAL_WINDOW = Duration.ofMinutes(1);
  static final int MAX_REFUSALS_PER_PEER = 10;
  static final Duration SESSION_IDLE = Duration.ofMinutes(30);
  static final Duration SESSION_LIFETIME = Duration.ofHours(12);
  static final int MAX_SESSIONS = 256;

  private final EventLoopGroup loop;
  private final EventExecutorGroup workers;
  private final Channel server;
  private final Refusals refusals;
  private final AuditLog audit;
  private final Probes probes;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final String scheme;

  private AdminServer(
      EventLoopGroup loop,
      EventExecutorGroup workers,
      Channel server,
      Refusals refusals,
      AuditLog audit,
      Probes probes,
      boolean tls) {
    this.scheme = tls ? "https" : "http";
    this.loop = loop;
    this.workers = workers;
    this.server = server;
    this.refusals = refusals;
    this.audit = audit;
    this.probes = probes;
  }

  /**
   * Binds and serves as {@code settings} say.
   *
   * @throws IllegalStateException when the address cannot be bound
   */
  public static AdminServer start(AdminSettings settings) {
    requireNonNull(settings, "settings");
    Ledger ledger = settings.ledger();
    GraphqlEndpoint graphql = settings.graphql();
    Optional<ListenerTls> tls = settings.tls();
    String host = settings.host();
    int port = settings.port();
    AdminRoutes routes = new AdminRoutes(settings.control(), ledger, settings.metrics(), graphql);
    BearerAuth auth = new BearerAuth(settings.tokensByOwner());
    Refusals refusals = new Refusals(REFUSAL_WINDOW, MAX_REFUSALS_PER_PEER, System::nanoTime);
    Probes probes = new Probes(ledger.dataSource(), settings.listenerAccepting());
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventExecutorGroup workers = new DefaultEventExecutorGroup(2);
    Console console =
        new Console(
            auth,
            new ConsoleSessions(
                ledger.consoleSessions(),
                SESSION_IDLE,
                SESSION_LIFETIME,
                MAX_SESSIONS,
                java.time.Clock.systemUTC()),
            new ConsoleAssets(),
            graphql,
            refusals,
            ledger.audit(),
            tls.isPresent());
    AdminInitializer pipeline =
        new AdminInitializer(
            () ->
                new AdminHandler(auth, refusals, ledger.audit(), routes, probes, workers, console),
            settings.registry() == null ? null : new AdminMeters(settings.registry()));
    // A burst of refusals is audited within a window of its end even if nothing follows it.
    long every = REFUSAL_WINDOW.toMillis();
    workers.scheduleAtFixedRate(
        () -> refusals.flush(ledger.audit()), every, every, TimeUnit.MILLISECONDS);
    try {
      Channel server =
          new ServerBootstrap()
              .group(loop)
              .channel(NioServerSocketChannel.class)
              .childHandler(TlsFront.wrap(tls, pipeline))
              .bind(host, port)
              .syncUninterruptibly()
              .channel();
      return new AdminServer(
          loop, workers, server, refusals, ledger.audit(), probes, tls.isPresent());
    } catch (RuntimeException e) {
      probes.close();
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

  /** {@code http://host:port} of the admin API ({@code https} with TLS). */
  public URI baseUrl() {
    InetSocketAddress address = (InetSocketAddress) server.localAddress();
    return URI.create(scheme + "://" + address.getHostString() + ":" + port());
  }

  /** Stops listening, closes connections and stops the threads; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.close().syncUninterruptibly();
    loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    probes.close();
    refusals.closeWindow();
    refusals.flush(audit);
  }
}
