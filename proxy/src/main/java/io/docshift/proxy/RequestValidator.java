package io.docshift.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Turns decoder verdicts into the exact status (414 request line too long, 431 headers too large,
 * 400 for everything else the decoder or {@link StrictRequestDecoder} refused) and passes a {@link
 * Rejection} on in the request's place, so nothing malformed reaches routing. Request bodies go on
 * (the Upload API spools them; the delivery handler releases them). After a rejection everything
 * else on the connection is dropped, since it is closed once the rejection is answered.
 */
final class RequestValidator extends ChannelInboundHandlerAdapter {
  private boolean discarding;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest) {
        ctx.pipeline().fireUserEventTriggered(RequestEvent.HEADERS_RECEIVED);
        request(ctx, (HttpRequest) msg);
      }
      if (msg instanceof HttpContent) {
        content(ctx, (HttpContent) msg);
      }
      if (!(msg instanceof HttpRequest) && !(msg instanceof HttpContent)) {
        ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void request(ChannelHandlerContext ctx, HttpRequest request) {
    if (discarding) {
      return;
    }
    if (request.decoderResult().isFailure()) {
      discarding = true;
      ctx.fireChannelRead(rejection(request.decoderResult().cause()));
      return;
    }
    ctx.fireChannelRead(ReferenceCountUtil.retain(request));
  }

  private void content(ChannelHandlerContext ctx, HttpContent content) {
    if (content.decoderResult().isFailure() && !discarding) {
      discarding = true;
      ctx.fireChannelRead(new Rejection(HttpResponseStatus.BAD_REQUEST, "Malformed request body"));
    }
    if (!discarding) {
      ctx.fireChannelRead(ReferenceCountUtil.retain(content));
    }
    if (content instanceof LastHttpContent) {
      ctx.pipeline().fireUserEventTriggered(RequestEvent.REQUEST_ENDED);
    }
  }

  static Rejection rejection(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new Rejection(HttpResponseStatus.REQUEST_URI_TOO_LONG, "Request line too long");
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new Rejection(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request headers too large");
    }
    if (cause instanceof FoldedHeaderException) {
      return new Rejection(HttpResponseStatus.BAD_REQUEST, "Folded header line");
    }
    return new Rejection(HttpResponseStatus.BAD_REQUEST, "Malformed request");
  }
}
