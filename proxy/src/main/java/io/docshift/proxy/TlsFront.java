package io.docshift.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.Optional;

/**
 * Puts a listener's TLS in front of its pipeline: the TLS handler first, then the listener's own
 * initializer, which then sees plain HTTP. Without TLS the initializer is used as it is.
 */
public final class TlsFront extends ChannelInitializer<SocketChannel> {
  /** The handler name of the TLS handler, first in the pipeline. */
  public static final String TLS = "tls";

  private final ListenerTls tls;
  private final ChannelHandler pipeline;

  private TlsFront(ListenerTls tls, ChannelHandler pipeline) {
    this.tls = tls;
    this.pipeline = pipeline;
  }

  /** {@code pipeline} behind {@code tls}, or {@code pipeline} alone for plain HTTP. */
  public static ChannelHandler wrap(Optional<ListenerTls> tls, ChannelHandler pipeline) {
    return tls.<ChannelHandler>map(t -> new TlsFront(t, pipeline)).orElse(pipeline);
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    channel.pipeline().addLast(TLS, tls.newHandler(channel.alloc())).addLast(pipeline);
  }
}
