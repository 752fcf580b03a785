package io.docshift.sandbox.emulator;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.function.Supplier;

/**
 * The emulator pipeline, read in one place: HTTP/1.1 codec, then the request router on a blocking
 * executor group (uploads hash and move files, which must not run on the event loop).
 */
final class EmulatorInitializer extends ChannelInitializer<SocketChannel> {
  static final String CODEC = "http-codec";
  static final String ROUTER = "router";

  private static final int MAX_INITIAL_LINE = 16 * 1024;
  private static final int MAX_HEADER_SIZE = 32 * 1024;
  private static final int MAX_CHUNK_SIZE = 64 * 1024;

  private final Supplier<Handlers> handlers;
  private final EventExecutorGroup blocking;
  private final ChannelGroup connections;

  EmulatorInitializer(
      Supplier<Handlers> handlers, EventExecutorGroup blocking, ChannelGroup connections) {
    this.handlers = handlers;
    this.blocking = blocking;
    this.connections = connections;
  }

  // Netty 4.2 deprecates handlers bound to an executor group in favour of hand-made offloading.
  // For the emulator the group is still the simplest correct tool: it keeps per-connection order
  // while uploads hash, move and assemble files off the event loop.
  @SuppressWarnings("deprecation")
  @Override
  protected void initChannel(SocketChannel ch) {
    // Tracked so close() can end keep-alive connections before stopping the executors.
    connections.add(ch);
    ch.pipeline()
        .addLast(CODEC, new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE))
        .addLast(blocking, ROUTER, new RequestRouter(handlers.get()));
  }
}
