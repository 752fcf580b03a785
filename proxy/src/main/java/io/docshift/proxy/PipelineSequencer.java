package io.docshift.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Answers pipelined requests in order, one at a time: a request is passed on only when the previous
 * response's last content has been written. The channel runs with {@code autoRead} off, and this
 * handler asks for more bytes only when it has nothing to do, so a client pipelining faster than we
 * answer is held back by TCP instead of by memory. After a response that closes the connection,
 * queued requests are dropped.
 *
 * <p>A queued request's body is queued with it (it arrives in the same read as the request before
 * it, when a client pipelines a chunked upload behind GETs) and handed on right after the request,
 * so the handler that takes the request also gets all of its body, in order.
 */
final class PipelineSequencer extends ChannelDuplexHandler {
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private boolean inFlight;
  private boolean closing;

  /** Whether the latest request was queued, so body parts arriving now belong in the queue. */
  private boolean bodyQueued;

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.fireChannelActive();
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    boolean starts = startsRequest(msg);
    if (closing) {
      ReferenceCountUtil.release(msg);
    } else if (!starts) {
      if (bodyQueued) {
        queue.add(msg);
      } else {
        ctx.fireChannelRead(msg);
      }
    } else if (inFlight || !queue.isEmpty()) {
      queue.add(msg);
      bodyQueued = true;
    } else {
      bodyQueued = false;
      dispatch(ctx, msg);
    }
  }

  private static boolean startsRequest(Object msg) {
    return msg instanceof HttpRequest || msg instanceof Rejection;
  }

  private void dispatch(ChannelHandlerContext ctx, Object msg) {
    inFlight = true;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.fireChannelReadComplete();
    if (!inFlight && queue.isEmpty() && !closing) {
      ctx.read();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse && !HttpUtil.isKeepAlive((HttpResponse) msg)) {
      closing = true;
    }
    boolean last = msg instanceof LastHttpContent;
    ctx.write(msg, promise);
    if (last) {
      inFlight = false;
      // Not re-entrantly: the next request may be answered synchronously.
      ctx.executor().execute(() -> next(ctx));
    }
  }

  private void next(ChannelHandlerContext ctx) {
    if (inFlight || closing || !ctx.channel().isActive()) {
      return;
    }
    Object msg = queue.poll();
    if (msg == null) {
      ctx.read();
      return;
    }
    dispatch(ctx, msg);
    while (!queue.isEmpty() && !startsRequest(queue.peek()) && ctx.channel().isActive()) {
      ctx.fireChannelRead(queue.poll());
    }
    if (queue.isEmpty()) {
      bodyQueued = false;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Object msg;
    while ((msg = queue.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    ctx.fireChannelInactive();
  }
}
