package io.docshift.proxy;

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
  IdleTimeout(Duration timeout) {
    super(true, 0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    ctx.close();
  }
}
