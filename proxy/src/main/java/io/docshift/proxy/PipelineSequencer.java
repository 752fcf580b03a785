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
 */
final class PipelineSequencer extends ChannelDuplexHandler {
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private boolean inFlight;
  private boolean closing;

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.fireChannelActive();
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpRequest) && !(msg instanceof Rejection)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (closing) {
      ReferenceCountUtil.release(msg);
    } else if (inFlight) {
      queue.add(msg);
    } else {
      dispatch(ctx, msg);
    }
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
    if (msg != null) {
      dispatch(ctx, msg);
    } else {
      ctx.read();
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
