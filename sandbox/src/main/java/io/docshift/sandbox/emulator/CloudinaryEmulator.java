package io.docshift.sandbox.emulator;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An in-process Cloudinary stand-in that real, unmodified Cloudinary SDKs can talk to: the Upload
 * API (signed, chunked {@code upload_large}, destroy), the Admin API subset used for enumeration
 * (with hourly rate limiting), signed private downloads and CDN delivery of originals, with
 * Cloudinary's status codes, error texts and headers. Point an SDK at it with {@code
 * cloudinary://KEY:SECRET@CLOUD?upload_prefix=}{@link #baseUrl()} and, for delivery URLs, {@code
 * secure=false, cname=host:port}.
 *
 * <p>Originals live under {@link EmulatorConfig#dataDir()} with a JSON sidecar each, so restarting
 * on the same directory keeps every asset. Uploads are spilled to disk and deliveries streamed from
 * disk, so asset size is bounded by the disk, not the heap. See {@code sandbox/EMULATOR.md} for the
 * behaviour chosen where Cloudinary's is not documented.
 */
public final class CloudinaryEmulator implements AutoCloseable {
  /** Upload fields up to this size stay in memory; larger ones spill to the staging directory. */
  private static final long MEMORY_THRESHOLD = 16 * 1024;

  private static final int BLOCKING_THREADS = 4;
  private static final long QUIET_MILLIS = 50;
  private static final long SHUTDOWN_MILLIS = 2000;

  private final EmulatorConfig config;
  private final EventLoopGroup group;
  private final EventExecutorGroup blocking;
  private final Channel serverChannel;
  private final ChannelGroup connections;
  private final EmulatorState state;

  private CloudinaryEmulator(
      EmulatorConfig config,
      EventLoopGroup group,
      EventExecutorGroup blocking,
      Channel serverChannel,
      ChannelGroup connections,
      EmulatorState state) {
    this.config = config;
    this.group = group;
    this.blocking = blocking;
    this.serverChannel = serverChannel;
    this.connections = connections;
    this.state = state;
  }

  /**
   * Loads the assets under {@code config.dataDir()} and starts serving on {@code host:port}.
   *
   * @throws IllegalStateException when the port is taken or the data directory is unusable
   */
  public static CloudinaryEmulator start(EmulatorConfig config) {
    return start(config, Optional.empty());
  }

  /**
   * {@link #start(EmulatorConfig)}, serving HTTPS with {@code tls} when present (for tests of a
   * Cloudinary reached over TLS with a private CA).
   */
  public static CloudinaryEmulator start(EmulatorConfig config, Optional<SslContext> tls) {
    requireNonNull(config, "config");
    requireNonNull(tls, "tls");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    EventExecutorGroup blocking = new DefaultEventExecutorGroup(BLOCKING_THREADS);
    ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    try {
      EmulatorState state = EmulatorState.open(config, dataFactory(config));
      Channel channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 256)
              .childHandler(
                  withTls(tls, new EmulatorInitializer(state::handlers, blocking, connections)))
              .bind(config.host(), config.port())
              .sync()
              .channel();
      int port = ((InetSocketAddress) channel.localAddress()).getPort();
      String scheme = tls.isPresent() ? "https://" : "http://";
      state.bound(URI.create(scheme + hostForUrl(config.host()) + ":" + port));
      return new CloudinaryEmulator(config, group, blocking, channel, connections, state);
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      blocking.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "cannot start Cloudinary emulator on " + config.host() + ":" + config.port() + ": " + e,
          e);
    }
  }

  private static DefaultHttpDataFactory dataFactory(EmulatorConfig config) throws IOException {
    Path staging = Files.createDirectories(config.dataDir().resolve("staging"));
    DefaultHttpDataFactory factory =
        new DefaultHttpDataFactory(MEMORY_THRESHOLD, StandardCharsets.UTF_8);
    factory.setBaseDir(staging.toString());
    // deleteOnExit would keep every spilled file name in a JVM-wide set until exit.
    factory.setDeleteOnExit(false);
    return factory;
  }

  private static ChannelHandler withTls(Optional<SslContext> tls, ChannelHandler pipeline) {
    if (tls.isEmpty()) {
      return pipeline;
    }
    return new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        channel
            .pipeline()
            .addLast(tls.get().newHandler(channel.alloc()))
            .addLast(new ChunkedWriteHandler())
            .addLast(pipeline);
      }
    };
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** The bound port (the ephemeral one when configured with 0). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** {@code http://host:port}: the Upload/Admin API prefix and the delivery host. */
  public URI baseUrl() {
    return state.baseUrl();
  }

  /** {@code http://host:port/{cloudName}}: the delivery prefix. */
  public URI deliveryUrl() {
    return URI.create(state.baseUrl() + "/" + config.cloudName());
  }

  /**
   * Admin API calls answered since start (each one spends the hourly budget, whatever it asked
   * for), so tests can assert how many calls a client spent.
   */
  public long adminApiCalls() {
    return state.adminCalls();
  }

  /** The settings this emulator runs with. */
  public EmulatorConfig config() {
    return config;
  }

  /**
   * Stores an original directly, as if uploaded (overwriting the same key, version bumped). The
   * bytes are streamed to disk; an {@link SeedRequest.Builder#content(InputStream) InputStream}
   * source is closed afterwards.
   *
   * @throws IllegalArgumentException when an image/video format is neither given nor detectable
   * @throws UncheckedIOException when the bytes cannot be read or stored
   */
  public StoredAsset seed(SeedRequest request) {
    requireNonNull(request, "request");
    try (InputStream in = request.open()) {
      return state.seed(request, in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seed " + request.publicId(), e);
    }
  }

  /** Stops serving and closes open connections; stored assets stay on disk. */
  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    connections.close().syncUninterruptibly();
    // Pipeline tear-down hops from the event loop to the blocking group and back. The loop stops
    // first (its quiet period lets the round trips finish) while the blocking group still accepts
    // the events it fires; only then does the blocking group stop.
    group
        .shutdownGracefully(QUIET_MILLIS, SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS)
        .syncUninterruptibly();
    blocking.shutdownGracefully(0, SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS).syncUninterruptibly();
  }

  @Override
  public String toString() {
    return "CloudinaryEmulator{" + baseUrl() + ", cloud=" + config.cloudName() + "}";
  }
}
