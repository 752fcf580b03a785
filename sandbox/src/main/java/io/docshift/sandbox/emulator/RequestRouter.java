package io.docshift.sandbox.emulator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-connection request state machine. Reads the request head, streams an API POST body into a
 * {@link FormBody} (refusing oversized bodies before reading them), and once the request is
 * complete hands it to {@link ApiRouter} or the {@link CdnHandler}. Every message is released here,
 * every request gets exactly one response, and failures become 4xx/5xx answers.
 *
 * <p>Runs on a blocking executor group (see {@link EmulatorInitializer}), so disk I/O here never
 * stalls the event loop.
 */
final class RequestRouter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestRouter.class);

  private final Handlers handlers;
  private final ApiRouter api;
  private HttpRequest request;
  private RequestPath path;
  private FormBody body;
  private boolean discarding;

  RequestRouter(Handlers handlers) {
    this.handlers = handlers;
    this.api = new ApiRouter(handlers);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest head) {
        onHead(ctx, head);
      }
      if (msg instanceof HttpContent content) {
        if (discarding) {
          discarding = !(content instanceof LastHttpContent);
        } else {
          onContent(ctx, content);
        }
      }
    } catch (ApiException e) {
      reject(ctx, e, msg instanceof LastHttpContent);
    } catch (Exception e) {
      LOG.warn("emulator failed on {}", request == null ? "?" : request.uri(), e);
      ApiException error =
          new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Emulator error: " + e);
      reject(ctx, error, msg instanceof LastHttpContent);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onHead(ChannelHandlerContext ctx, HttpRequest head) {
    reset();
    request = head;
    if (head.decoderResult().isFailure()) {
      throw ApiException.badRequest("Malformed request: " + head.decoderResult().cause());
    }
    path = RequestPath.parse(head.uri());
    if (path == null) {
      throw ApiException.badRequest("Invalid request path");
    }
    // DELETE carries its parameters in the query or, from some SDKs, a form body.
    if (isApi()
        && (head.method().equals(HttpMethod.POST) || head.method().equals(HttpMethod.DELETE))) {
      long length = HttpUtil.getContentLength(head, -1L);
      if (length > handlers.config().maxUploadBytes()) {
        throw Limits.tooLarge(length, handlers.config().maxUploadBytes());
      }
      if (HttpUtil.is100ContinueExpected(head)) {
        ctx.writeAndFlush(
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
            ctx.voidPromise());
      }
      body = new FormBody(handlers.dataFactory(), head, handlers.config().maxUploadBytes());
    }
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) throws Exception {
    if (body != null) {
      body.offer(content);
    }
    if (content instanceof LastHttpContent) {
      try {
        dispatch(ctx);
      } finally {
        reset();
      }
    }
  }

  private void dispatch(ChannelHandlerContext ctx) throws Exception {
    List<String> segments = path.segments();
    if (isApi()) {
      api.route(ctx, request, segments.subList(1, segments.size()), path.query(), body);
    } else if (request.method().equals(HttpMethod.GET)
        || request.method().equals(HttpMethod.HEAD)) {
      handlers.delivery().handle(ctx, request, path);
    } else {
      EmulatorReplies.send(
          ctx,
          request,
          EmulatorReplies.cdnError(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
          false);
    }
  }

  private boolean isApi() {
    return !path.segments().isEmpty() && path.segments().get(0).equals("v1_1");
  }

  /**
   * Answers with the error JSON and ignores the rest of the request. If body bytes are still on the
   * wire (or the head was malformed) the connection is closed after the answer, as it cannot be
   * reused safely.
   */
  private void reject(ChannelHandlerContext ctx, ApiException e, boolean sawLast) {
    boolean close =
        request == null
            || request.decoderResult().isFailure()
            || (!sawLast
                && (HttpUtil.getContentLength(request, 0L) > 0
                    || HttpUtil.isTransferEncodingChunked(request)));
    EmulatorReplies.send(ctx, request, EmulatorReplies.error(e), close);
    reset();
    discarding = !sawLast;
  }

  private void reset() {
    if (body != null) {
      body.destroy();
      body = null;
    }
    discarding = false;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    reset();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("emulator connection error", cause);
    reset();
    ctx.close();
  }
}
