package io.docshift.proxy.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/**
 * Turns decoder verdicts into the exact status nginx gives (414 request line too long, 431 headers
 * too large or too many, 501 a transfer coding other than a single {@code chunked}, 400 for
 * everything else the decoder or {@link StrictRequestDecoder} refused) and passes a {@link
 * Rejection} on in the request's place, so nothing malformed reaches routing.
 *
 * <p>Request bodies go on (the Upload API spools them; the delivery handler releases them). A body
 * that breaks mid-way (bad chunk size, bare LF, missing CRLF after chunk data) is passed on as the
 * failed last content the decoder made, so whoever consumes the body ends it and cleans up, and a
 * {@link Rejection} follows it for the case nobody answered yet. After a rejection everything else
 * on the connection is dropped, since it is closed once the rejection is answered.
 */
final class RequestValidator extends ChannelInboundHandlerAdapter {
  private final int maxHeaderCount;
  private boolean discarding;

  RequestValidator(int maxHeaderCount) {
    this.maxHeaderCount = maxHeaderCount;
  }

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
    Rejection refused = verdict(request, maxHeaderCount);
    if (refused != null) {
      discarding = true;
      ctx.fireChannelRead(refused);
      return;
    }
    ctx.fireChannelRead(ReferenceCountUtil.retain(request));
  }

  private void content(ChannelHandlerContext ctx, HttpContent content) {
    if (content.decoderResult().isFailure() && !discarding) {
      discarding = true;
      ctx.fireChannelRead(ReferenceCountUtil.retain(content));
      ctx.fireChannelRead(new Rejection(HttpResponseStatus.BAD_REQUEST, "Malformed request body"));
    } else if (!discarding) {
      ctx.fireChannelRead(ReferenceCountUtil.retain(content));
    }
    if (content instanceof LastHttpContent) {
      ctx.pipeline().fireUserEventTriggered(RequestEvent.REQUEST_ENDED);
    }
  }

  /** Why {@code request} is refused, or null when it may be routed. */
  static Rejection verdict(HttpRequest request, int maxHeaderCount) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      return new Rejection(HttpResponseStatus.REQUEST_URI_TOO_LONG, "Request line too long");
    }
    if (cause instanceof TooLongHttpHeaderException || request.headers().size() > maxHeaderCount) {
      return new Rejection(
          HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Request headers too large");
    }
    Rejection coding = transferCoding(request, cause);
    if (coding != null) {
      return coding;
    }
    if (cause instanceof FoldedHeaderException) {
      return new Rejection(HttpResponseStatus.BAD_REQUEST, "Folded header line");
    }
    return cause == null
        ? null
        : new Rejection(HttpResponseStatus.BAD_REQUEST, "Malformed request");
  }

  /**
   * A request body is framed by one {@code Transfer-Encoding: chunked} or not at all. Any other
   * coding (or a list ending in chunked) would reach a store still encoded, so it is not
   * implemented (501, as nginx); two such fields (RFC 9112 §6.1 lets them be joined, proxies
   * disagree on how) and any in HTTP/1.0 (RFC 9112 §6.1) are refused as malformed (400).
   */
  private static Rejection transferCoding(HttpRequest request, Throwable cause) {
    List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (codings.isEmpty()) {
      return null;
    }
    if (cause instanceof TransferEncodingNotAllowedException
        || codings.size() > 1
        || !request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
      return new Rejection(HttpResponseStatus.BAD_REQUEST, "Malformed Transfer-Encoding");
    }
    if (!HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(codings.get(0).strip())) {
      return new Rejection(HttpResponseStatus.NOT_IMPLEMENTED, "Unsupported Transfer-Encoding");
    }
    return null;
  }
}
