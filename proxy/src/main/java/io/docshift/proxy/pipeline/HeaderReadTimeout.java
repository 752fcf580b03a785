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
 * decoder, so it sees raw bytes. The timer is set lazily, as {@link SlowReaderLimits}' is: headers
 * that come in time leave it running, and when it fires it judges the request then waiting for its
 * headers (or none) and sets itself for what is left; so a keep-alive connection schedules about
 * one timer per timeout, not one schedule and one cancel per request.
 */
final class HeaderReadTimeout extends ConnectionTimer {
  private final long timeoutNanos;
  private final LimitCloses closes;
  private boolean inBody;

  /** Whether a request's headers are on their way, and when they are due. */
  private boolean waiting;

  private long due;

  HeaderReadTimeout(Duration timeout, LimitCloses closes) {
    this.timeoutNanos = timeout.toNanos();
    this.closes = closes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf && !waiting && !inBody) {
      waiting = true;
      due = now(ctx) + timeoutNanos;
      if (!armed()) {
        arm(ctx, timeoutNanos, () -> check(ctx));
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Closes when the waiting request's headers are late, else waits for what is left. */
  private void check(ChannelHandlerContext ctx) {
    if (!waiting) {
      return; // the headers came: the next request sets the timer again
    }
    long left = due - now(ctx);
    if (left > 0) {
      arm(ctx, left, () -> check(ctx));
    } else {
      closes.close(ctx, ConnectionLimit.HEADER_DEADLINE);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == RequestEvent.HEADERS_RECEIVED) {
      waiting = false;
      inBody = true;
    } else if (evt == RequestEvent.REQUEST_ENDED) {
      inBody = false;
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }
}
