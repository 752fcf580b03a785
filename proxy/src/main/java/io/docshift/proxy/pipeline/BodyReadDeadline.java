package io.docshift.proxy.pipeline;

import io.docshift.core.metrics.ConnectionLimit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;

/**
 * A byte-rate floor on request bodies (slow POST): a body that starts when its headers are decoded
 * ({@link RequestEvent#HEADERS_RECEIVED}) must end ({@link RequestEvent#REQUEST_ENDED}) before
 * {@code start + grace + bytes / minBytesPerSecond}, the deadline each received byte pushes out (as
 * Apache's {@code mod_reqtimeout body=...,MinRate=...}). The idle timeout alone lets a client that
 * sends one byte a minute hold a connection and an upload slot for ever; this bounds it by the size
 * it has sent. When the deadline passes, {@link RequestEvent#BODY_TOO_SLOW} goes forward to the
 * handler reading the body, which answers 408 and closes (and removes its spool).
 *
 * <p>Sits before the decoder, so it counts raw bytes as the channel reads them. Reads are driven by
 * the body handler one at a time and each is written to the spool at once, so the server never
 * holds back reads long enough to push a client under the floor. A rate of 0 turns it off. The
 * timer is set lazily (see {@link HeaderReadTimeout}): a request that ends leaves it running, and
 * when it fires without a body on its way it stops; a GET costs it no schedule or cancel.
 */
final class BodyReadDeadline extends ConnectionTimer {
  private final long minBytesPerSecond;
  private final long graceNanos;
  private final LimitCloses closes;
  private boolean inBody;
  private long start;
  private long bytes;

  BodyReadDeadline(long minBytesPerSecond, Duration grace, LimitCloses closes) {
    this.minBytesPerSecond = minBytesPerSecond;
    this.graceNanos = grace.toNanos();
    this.closes = closes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (inBody && msg instanceof ByteBuf) {
      bytes += ((ByteBuf) msg).readableBytes();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == RequestEvent.HEADERS_RECEIVED && minBytesPerSecond > 0) {
      inBody = true;
      start = now(ctx);
      bytes = 0;
      if (!armed()) {
        schedule(ctx, graceNanos); // a timer still set for an earlier body wakes sooner
      }
    } else if (evt == RequestEvent.REQUEST_ENDED) {
      inBody = false;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** When the body must have ended, given what it has sent so far. */
  private long deadline() {
    return rateDeadline(start, graceNanos, bytes, minBytesPerSecond);
  }

  private void check(ChannelHandlerContext ctx) {
    if (!inBody) {
      return;
    }
    long left = deadline() - now(ctx);
    if (left > 0) {
      schedule(ctx, left);
      return;
    }
    inBody = false;
    // Counted here, where the limit decides; the body's handler answers 408 and closes.
    closes.report(ConnectionLimit.BODY_DEADLINE, ctx.channel().remoteAddress());
    ctx.fireUserEventTriggered(RequestEvent.BODY_TOO_SLOW);
  }

  private void schedule(ChannelHandlerContext ctx, long delayNanos) {
    arm(ctx, delayNanos, () -> check(ctx));
  }
}
