package io.docshift.stores.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;

/**
 * The last handler of an upstream connection: hands decoded response parts to the exchange the
 * connection currently serves. A connection with no exchange (idle in its pool) that receives
 * anything, or fails, is closed.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
  private final LoopPool pool;
  private final Channel channel;
  private UpstreamExchange exchange;
  private long idleSince;

  UpstreamHandler(LoopPool pool, Channel channel) {
    this.pool = pool;
    this.channel = channel;
  }

  Channel channel() {
    return channel;
  }

  LoopPool pool() {
    return pool;
  }

  long idleSince() {
    return idleSince;
  }

  void idle(long nanos) {
    this.idleSince = nanos;
  }

  void attach(UpstreamExchange value) {
    this.exchange = value;
  }

  void detach() {
    this.exchange = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamExchange current = exchange;
    if (current == null || !(msg instanceof HttpObject)) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    HttpObject part = (HttpObject) msg;
    if (part.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      current.fail(broken(part.decoderResult().cause()));
      return;
    }
    if (msg instanceof HttpResponse) {
      current.onHead((HttpResponse) msg);
    }
    if (msg instanceof HttpContent) {
      if (exchange == current) {
        current.onContent((HttpContent) msg);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  /**
   * A response the codec could not read is the upstream's fault, like a broken connection: the
   * codec reports a connection closed mid-response (or before the headers, as when a pooled
   * connection was closed by the server) as a premature closure, anything else as malformed.
   */
  private static IOException broken(Throwable cause) {
    if (cause instanceof PrematureChannelClosureException) {
      return new EOFException("the upstream closed the connection mid-response");
    }
    return new IOException("unreadable response: " + cause, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    UpstreamExchange current = exchange;
    if (current != null) {
      current.fail(new EOFException("the upstream closed the connection"));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    UpstreamExchange current = exchange;
    if (current != null) {
      current.fail(cause);
    } else {
      ctx.close();
    }
  }
}
