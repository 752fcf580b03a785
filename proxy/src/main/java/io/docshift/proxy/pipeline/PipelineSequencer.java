package io.docshift.proxy.pipeline;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
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
 *
 * <p>On {@link #DRAIN} (the server is stopping) an idle connection closes at once; a busy one
 * answers its request in flight with {@code Connection: close} when its headers are still to be
 * written, and closes once that response's last content is flushed.
 */
public final class PipelineSequencer extends ChannelDuplexHandler {
  /** The user event that asks a connection to close once its request in flight is answered. */
  public static final Object DRAIN =
      new Object() {
        @Override
        public String toString() {
          return "DRAIN";
        }
      };

  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private boolean inFlight;
  private boolean closing;
  private boolean draining;

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
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt != DRAIN) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    draining = true;
    if (!inFlight) {
      closing = true; // a request read meanwhile is dropped, not started
      closeDrained(ctx);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      if (draining && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
        HttpUtil.setKeepAlive(response, false);
      }
      if (!HttpUtil.isKeepAlive(response)) {
        closing = true;
      }
    }
    boolean last = msg instanceof LastHttpContent;
    ctx.write(msg, promise);
    if (last) {
      inFlight = false;
      // Not re-entrantly: the next request may be answered synchronously.
      ctx.executor().execute(() -> next(ctx));
    }
  }

  /** Flushes what was written, then closes: a response handed on is never cut. */
  private static void closeDrained(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private void next(ChannelHandlerContext ctx) {
    if (draining && !inFlight && ctx.channel().isActive()) {
      closing = true;
      closeDrained(ctx);
      return;
    }
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
