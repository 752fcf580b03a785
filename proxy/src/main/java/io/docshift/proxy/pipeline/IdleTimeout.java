package io.docshift.proxy.pipeline;

import io.docshift.core.metrics.ConnectionLimit;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection with neither reads nor write progress for the idle timeout. Output progress
 * counts as activity ({@code observeOutput}), so a slow but moving download is not cut, while a
 * client that stopped reading is.
 */
final class IdleTimeout extends IdleStateHandler {
  private final LimitCloses closes;

  IdleTimeout(Duration timeout, LimitCloses closes) {
    super(true, 0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
    this.closes = closes;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    closes.close(ctx, ConnectionLimit.IDLE);
  }
}
