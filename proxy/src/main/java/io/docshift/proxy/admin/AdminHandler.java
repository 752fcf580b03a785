package io.docshift.proxy.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.docshift.core.ledger.AuditLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one aggregated admin request: malformed requests get 400, requests without the right
 * bearer token 401 (and an {@code admin.refused} audit event naming the claimed actor, method, path
 * and peer), everything else goes to {@link AdminRoutes}. The request is read on the event loop
 * (and released there by {@link SimpleChannelInboundHandler}); the answer is computed on one worker
 * executor per connection, because routes and the refusal audit do ledger I/O, and one executor per
 * connection keeps pipelined responses in order.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String ACTOR_HEADER = "X-DocShift-Actor";
  static final String DEFAULT_ACTOR = "admin-api";
  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

  private final BearerAuth auth;
  private final AuditLog audit;
  private final AdminRoutes routes;
  private final EventExecutorGroup workers;
  private Executor worker;

  AdminHandler(BearerAuth auth, AuditLog audit, AdminRoutes routes, EventExecutorGroup workers) {
    this.auth = auth;
    this.audit = audit;
    this.routes = routes;
    this.workers = workers;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    worker = workers.next();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      write(ctx, AdminResponse.error(HttpResponseStatus.BAD_REQUEST, "malformed request"), false);
      return;
    }
    HttpMethod method = request.method();
    String uri = request.uri();
    String actor = actor(request.headers().get(ACTOR_HEADER));
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    String body = request.content().toString(UTF_8);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    worker.execute(
        () -> {
          Optional<String> refusal = auth.refusal(authorization);
          AdminResponse response =
              refusal.isPresent()
                  ? refuse(ctx, method + " " + uri, actor, refusal.get())
                  : routes.handle(method, uri, body, actor);
          write(ctx, response, keepAlive);
        });
  }

  private AdminResponse refuse(
      ChannelHandlerContext ctx, String request, String actor, String why) {
    String attempt = request + " from " + ctx.channel().remoteAddress();
    LOG.warn("admin request refused ({}): {} by {}", why, attempt, actor);
    try {
      audit.append(actor, "admin.refused", null, attempt, why);
    } catch (RuntimeException e) {
      LOG.error("could not audit a refused admin request", e);
    }
    return AdminResponse.error(HttpResponseStatus.UNAUTHORIZED, "unauthorized: " + why);
  }

  /** The claimed actor, printable and at most 100 characters; the token proves nothing about it. */
  static String actor(String header) {
    if (header == null || header.isBlank()) {
      return DEFAULT_ACTOR;
    }
    String clean = header.strip().replaceAll("[^\\p{Graph} ]", "?");
    return clean.length() <= 100 ? clean : clean.substring(0, 100);
  }

  private static void write(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
    FullHttpResponse http =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, response.status(), Unpooled.copiedBuffer(response.body(), UTF_8));
    http.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, response.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, http.content().readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (response.status() == HttpResponseStatus.UNAUTHORIZED) {
      http.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"docshift-admin\"");
    }
    if (response.allow() != null) {
      http.headers().set(HttpHeaderNames.ALLOW, response.allow());
    }
    if (keepAlive) {
      http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(http);
    } else {
      http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("admin connection failed", cause);
    ctx.close();
  }
}
