package io.docshift.proxy.pipeline;

import io.docshift.core.metrics.ConnectionLimit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;

/**
 * Closes a connection whose request headers do not arrive within the header-read timeout (slow
 * loris). The timer starts with the first byte of a request, not when the connection opens (the
 * idle timeout covers quiet connections), and stops when the codec group reports the headers
 * decoded ({@link RequestEvent#HEADERS_RECEIVED}); body bytes do not restart it. Sits before the
 * decoder, so it sees raw bytes.
 */
final class HeaderReadTimeout extends ConnectionTimer {
  private final long timeoutNanos;
  private final LimitCloses closes;
  private boolean inBody;

  HeaderReadTimeout(Duration timeout, LimitCloses closes) {
    this.timeoutNanos = timeout.toNanos();
    this.closes = closes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf && !armed() && !inBody) {
      arm(ctx, timeoutNanos, () -> expired(ctx));
    }
    ctx.fireChannelRead(msg);
  }

  private void expired(ChannelHandlerContext ctx) {
    closes.close(ctx, ConnectionLimit.HEADER_DEADLINE);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == RequestEvent.HEADERS_RECEIVED) {
      cancel();
      inBody = true;
    } else if (evt == RequestEvent.REQUEST_ENDED) {
      inBody = false;
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }
}
