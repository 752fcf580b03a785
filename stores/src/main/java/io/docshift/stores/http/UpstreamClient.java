package io.docshift.stores.http;

import static java.util.Objects.requireNonNull;

import io.docshift.core.store.StoreTrust;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AsciiString;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * An HTTP/1.1 client for one upstream host, running on the caller's Netty event loops: each loop
 * keeps its own pool of keep-alive connections ({@link LoopPool}), and a call started on a loop
 * uses that loop's pool, so a proxy's request and its upstream call share one thread with no
 * hand-off. Calls started elsewhere hop to a loop of the group (round robin).
 *
 * <p>Connections are read only when asked ({@code autoRead} off, see {@link UpstreamExchange}),
 * bodies are never buffered whole, and response headers stay as received (nothing is parsed beyond
 * what HTTP framing needs). A connection goes back to its pool only after a complete, keep-alive
 * response; anything else closes it. Open connections are capped per loop (the settings' {@code
 * maxConnections} split over the loops), calls over the cap waiting in line. {@code https} bases
 * use TLS with host-name verification against the settings' {@link
 * io.docshift.core.store.StoreTrust}.
 */
public final class UpstreamClient implements AutoCloseable {
  private static final int MAX_INITIAL_LINE_BYTES = 8192;
  private static final int MAX_HEADER_BYTES = 32 * 1024;
  private static final int MAX_CHUNK_BYTES = 256 * 1024;

  private static final HttpHeadersFactory HEADERS =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);

  private final String host;
  private final int port;
  private final AsciiString hostHeader;
  private final String basePath;
  private final UpstreamSettings settings;
  private final SslContext ssl;
  private final List<LoopPool> pools = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong opened = new AtomicLong();
  private volatile boolean closed;

  private UpstreamClient(URI base, EventLoopGroup group, UpstreamSettings settings) {
    boolean https = "https".equals(base.getScheme());
    if (!https && !"http".equals(base.getScheme()) || base.getHost() == null) {
      throw new IllegalArgumentException("base: " + base + " (expected: an http(s) URL)");
    }
    this.host = base.getHost();
    this.port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
    boolean defaultPort = base.getPort() < 0 || base.getPort() == (https ? 443 : 80);
    this.hostHeader = AsciiString.of(defaultPort ? host : host + ":" + port);
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.settings = settings;
    this.ssl = https ? clientContext(settings.trust()) : null;
    List<EventLoop> loops = new ArrayList<>();
    group.forEach(executor -> loops.add((EventLoop) executor));
    // Each loop's connections serve only that loop, so the cap is split: rounded up, so no loop
    // is left with none.
    int perLoop =
        (int)
            Math.min(
                Integer.MAX_VALUE, -Math.floorDiv(-(long) settings.maxConnections(), loops.size()));
    for (EventLoop loop : loops) {
      pools.add(new LoopPool(loop, settings, perLoop));
    }
  }

  /**
   * A client for the host of {@code base}; request paths are appended to its path.
   *
   * @param group the event loops to run on (not closed by {@link #close()})
   */
  public static UpstreamClient create(URI base, EventLoopGroup group, UpstreamSettings settings) {
    requireNonNull(base, "base");
    requireNonNull(group, "group");
    requireNonNull(settings, "settings");
    return new UpstreamClient(base, group, settings);
  }

  /**
   * Empty request headers for {@link #send}; names and values are the caller's constants or
   * already-validated request headers, so they are not validated again.
   */
  public static HttpHeaders newHeaders() {
    return HEADERS.newHeaders();
  }

  /** The client's settings. */
  public UpstreamSettings settings() {
    return settings;
  }

  /**
   * Starts one bodiless call; see {@link #send(HttpMethod, String, HttpHeaders, Optional,
   * UpstreamListener)}.
   */
  public UpstreamExchange send(
      HttpMethod method, String pathAndQuery, HttpHeaders headers, UpstreamListener listener) {
    return send(method, pathAndQuery, headers, Optional.empty(), listener);
  }

  /**
   * Starts one call. Its events go to {@code listener} on the call's event loop: the current
   * thread's loop when it is one of the group's, otherwise the next one.
   *
   * @param method any method; only a bodiless GET or HEAD is retried on a broken pooled connection
   * @param pathAndQuery the raw (percent-encoded) path under the base path, starting with {@code
   *     /}, plus the query if any
   * @param headers request headers to send; {@code Host} is set here, and {@code Content-Length}
   *     when there is a body
   * @param body a file sent as the request body (zero-copy on plain connections), or empty for
   *     none; it is opened when the request is sent and must stay until the call has an answer
   */
  public UpstreamExchange send(
      HttpMethod method,
      String pathAndQuery,
      HttpHeaders headers,
      Optional<Path> body,
      UpstreamListener listener) {
    requireNonNull(method, "method");
    requireNonNull(pathAndQuery, "pathAndQuery");
    requireNonNull(headers, "headers");
    requireNonNull(body, "body");
    requireNonNull(listener, "listener");
    return start(method, pathAndQuery, headers, body.orElse(null), null, listener);
  }

  /**
   * Starts one call whose body streams from {@code body} as it arrives (see {@link PublishedBody});
   * otherwise as {@link #send(HttpMethod, String, HttpHeaders, Optional, UpstreamListener)}. Such a
   * call is never sent twice.
   */
  public UpstreamExchange send(
      HttpMethod method,
      String pathAndQuery,
      HttpHeaders headers,
      PublishedBody body,
      UpstreamListener listener) {
    requireNonNull(method, "method");
    requireNonNull(pathAndQuery, "pathAndQuery");
    requireNonNull(headers, "headers");
    requireNonNull(body, "body");
    requireNonNull(listener, "listener");
    return start(method, pathAndQuery, headers, null, body, listener);
  }

  private UpstreamExchange start(
      HttpMethod method,
      String pathAndQuery,
      HttpHeaders headers,
      Path file,
      PublishedBody published,
      UpstreamListener listener) {
    headers.set(HttpHeaderNames.HOST, hostHeader);
    LoopPool pool = currentPool();
    UpstreamExchange exchange =
        new UpstreamExchange(
            this, pool, method, basePath + pathAndQuery, headers, file, published, listener);
    if (pool.loop().inEventLoop()) {
      exchange.start();
    } else {
      pool.loop().execute(exchange::start);
    }
    return exchange;
  }

  private LoopPool currentPool() {
    for (LoopPool pool : pools) {
      if (pool.loop().inEventLoop()) {
        return pool;
      }
    }
    return pools.get(Math.floorMod(next.getAndIncrement(), pools.size()));
  }

  /**
   * Opens a new connection on {@code pool}'s loop, counted there from now until it closes or fails
   * to connect (so the next call on the loop sees it, registered or not yet).
   */
  ChannelFuture connect(LoopPool pool) {
    ChannelFuture connecting = bootstrap(pool).connect(host, port);
    pool.opened();
    boolean[] counted = {true};
    Runnable gone =
        () -> {
          if (counted[0]) {
            counted[0] = false;
            pool.closed();
          }
        };
    connecting.channel().closeFuture().addListener(f -> gone.run());
    connecting.addListener(
        f -> {
          if (!f.isSuccess() && !connecting.channel().isOpen()) {
            gone.run(); // a channel that never registered is closed without its close future
          }
        });
    return connecting;
  }

  private Bootstrap bootstrap(LoopPool pool) {
    return new Bootstrap()
        .group(pool.loop())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel channel) {
                open.incrementAndGet();
                opened.incrementAndGet();
                channel.closeFuture().addListener(f -> open.decrementAndGet());
                if (ssl != null) {
                  channel.pipeline().addLast(ssl.newHandler(channel.alloc(), host, port));
                }
                channel
                    .pipeline()
                    .addLast(
                        new HttpClientCodec(
                            new HttpDecoderConfig()
                                .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                                .setMaxHeaderSize(MAX_HEADER_BYTES)
                                .setMaxChunkSize(MAX_CHUNK_BYTES),
                            false,
                            false));
                if (ssl != null) {
                  // A file body cannot go through TLS as a FileRegion: it is read in chunks.
                  channel.pipeline().addLast(new ChunkedWriteHandler());
                }
                channel.pipeline().addLast(new UpstreamHandler(pool, channel));
              }
            });
  }

  boolean closed() {
    return closed;
  }

  /** Whether connections are TLS (a file body is then sent in chunks, not as a region). */
  boolean tls() {
    return ssl != null;
  }

  /** Connections open now, in use or idle. */
  public int openConnections() {
    return open.get();
  }

  /** Connections opened since the client was created (reuse keeps this low). */
  public long connectionsOpened() {
    return opened.get();
  }

  /** Closes idle connections; calls in flight go on until they end, then close theirs. */
  @Override
  public void close() {
    closed = true;
    for (LoopPool pool : pools) {
      pool.loop().execute(pool::closeAll);
    }
  }

  /** A Netty client context: host-name verification, TLSv1.3/1.2, the store's trust. */
  private static SslContext clientContext(StoreTrust trust) {
    try {
      return SslContextBuilder.forClient()
          .endpointIdentificationAlgorithm("HTTPS")
          .protocols(StoreTrust.protocols())
          .trustManager(trust.trustManagerFactory().orElse(null))
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
