package io.docshift.proxy;

import static java.util.Objects.requireNonNull;

import io.docshift.proxy.pipeline.PipelineSequencer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;

/**
 * The DocShift HTTP/1.1 proxy: serves Cloudinary delivery URLs ({@code GET|HEAD
 * /{cloud}/{resource_type}/{type}/...}) from S3 or Cloudinary through {@link DeliveryServices}.
 *
 * <p>Runs on the caller's NIO event loops (the same ones the S3 client may use), with {@code
 * autoRead} off on client connections: each connection is read only when it has nothing in flight.
 * {@link #close()} stops listening and closes open connections; it does not stop the loops or close
 * the services.
 */
public final class ProxyServer implements AutoCloseable {
  private final Channel server;
  private final ChannelGroup connections;
  private final ProxyInitializer pipeline;
  private final int port;
  private final String scheme;

  private ProxyServer(
      Channel server, ChannelGroup connections, ProxyInitializer pipeline, boolean tls) {
    this.server = server;
    this.connections = connections;
    this.pipeline = pipeline;
    this.scheme = tls ? "https" : "http";
    this.port = ((InetSocketAddress) server.localAddress()).getPort();
  }

  /**
   * Binds and starts serving.
   *
   * @param group NIO event loops for accepting and serving connections (not closed here)
   * @throws IllegalStateException when the address cannot be bound
   */
  public static ProxyServer start(
      ProxySettings settings, DeliveryServices services, EventLoopGroup group) {
    return start(settings, services, group, Optional.empty());
  }

  /**
   * Binds and starts serving, over TLS when {@code tls} is present.
   *
   * @param group NIO event loops for accepting and serving connections (not closed here)
   * @throws IllegalStateException when the address cannot be bound
   */
  public static ProxyServer start(
      ProxySettings settings,
      DeliveryServices services,
      EventLoopGroup group,
      Optional<ListenerTls> tls) {
    requireNonNull(tls, "tls");
    requireNonNull(settings, "settings");
    requireNonNull(services, "services");
    requireNonNull(group, "group");
    ChannelGroup connections =
        new DefaultChannelGroup("docshift-proxy", GlobalEventExecutor.INSTANCE);
    ProxyInitializer pipeline = new ProxyInitializer(settings, services, connections);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(TlsFront.wrap(tls, pipeline));
    if (settings.socketSendBufferBytes() > 0) {
      // A capped send buffer makes an answer larger than it wait on the client, which is what
      // lets the response byte-rate floor judge a slow reader (autotuned, it swallows megabytes).
      bootstrap.childOption(ChannelOption.SO_SNDBUF, settings.socketSendBufferBytes());
    }
    try {
      Channel server =
          bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
      return new ProxyServer(server, connections, pipeline, tls.isPresent());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot listen on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(), e);
    }
  }

  /** The port the proxy listens on (the actual one when 0 was asked). */
  public int port() {
    return port;
  }

  /** Whether the listening socket is open and accepting connections. */
  public boolean accepting() {
    return server.isActive();
  }

  /** Client connections open now, counted against {@code proxy.maxConnections}. */
  public int openConnections() {
    return pipeline.openConnections();
  }

  /** {@code http://host:port} of the proxy ({@code https} with TLS). */
  public URI baseUrl() {
    InetSocketAddress address = (InetSocketAddress) server.localAddress();
    return URI.create(scheme + "://" + address.getHostString() + ":" + port);
  }

  /**
   * Starts a graceful stop: stops listening, closes idle connections, and lets each busy one answer
   * its request in flight (upload included) before it closes.
   *
   * @return completes when every connection open now has closed
   */
  public ChannelGroupFuture drain() {
    server.close().syncUninterruptibly();
    ChannelGroupFuture closed = connections.newCloseFuture();
    connections.forEach(c -> c.pipeline().fireUserEventTriggered(PipelineSequencer.DRAIN));
    return closed;
  }

  /** Stops listening and closes open connections; idempotent. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    connections.close().syncUninterruptibly();
  }
}
