package io.docshift.proxy.admin;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.docshift.ledger.AuditLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one aggregated admin request: malformed requests get 400, the health probes ({@link
 * Probes}) are answered without a token, requests without an operator's bearer token 401 (counted
 * by {@link Refusals}, which writes one audit row per window and locks a guessing peer out with
 * 429), the operator console's pages, sign-in and cookie-authenticated GraphQL go to {@link
 * Console}, everything else goes to {@link AdminRoutes} as the token's owner: the audit names who
 * holds the token, whatever {@code X-DocShift-Actor} a client claims. The request is read on the
 * event loop (and released there by {@link SimpleChannelInboundHandler}); the answer is computed on
 * one worker executor per connection, because routes and the refusal audit do ledger I/O, and one
 * executor per connection keeps pipelined responses in order.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

  private final BearerAuth auth;
  private final Refusals refusals;
  private final AuditLog audit;
  private final AdminRoutes routes;
  private final Probes probes;
  private final EventExecutorGroup workers;
  private final Console console;
  private Executor worker;

  AdminHandler(
      BearerAuth auth,
      Refusals refusals,
      AuditLog audit,
      AdminRoutes routes,
      Probes probes,
      EventExecutorGroup workers,
      Console console) {
    this.auth = auth;
    this.refusals = refusals;
    this.audit = audit;
    this.routes = routes;
    this.probes = probes;
    this.workers = workers;
    this.console = console;
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
    String peer = peer(ctx);
    String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    String body = request.content().toString(UTF_8);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String path = new QueryStringDecoder(uri).path();
    HttpHeaders headers = request.headers().copy();
    if (Probes.isProbe(path)) {
      // Before the lock-out and the token: balancers probe without credentials.
      worker.execute(() -> write(ctx, probes.answer(method, path), keepAlive));
      return;
    }
    worker.execute(
        () -> {
          if (refusals.blocked(peer)) {
            AdminResponse locked =
                AdminResponse.error(
                    HttpResponseStatus.TOO_MANY_REQUESTS, "too many refused requests; retry later");
            write(ctx, locked.withRetryAfter(refusals.secondsLeft()), false);
            return;
          }
          Optional<AdminResponse> page = console.answer(method, uri, headers, body, peer);
          if (page.isPresent()) {
            write(ctx, page.get(), keepAlive);
            return;
          }
          BearerAuth.Verdict verdict = auth.check(authorization);
          AdminResponse response =
              verdict.allowed()
                  ? routes.handle(method, uri, body, verdict.owner())
                  : refuse(peer, method, verdict.refusal());
          write(ctx, response, keepAlive);
        });
  }

  private AdminResponse refuse(String peer, HttpMethod method, String why) {
    if (refusals.record(peer, why)) {
      // One line per peer and window: the counts go to the audit when the window ends.
      LOG.warn(
          "admin {} refused from {} ({}); more refusals from it are counted", method, peer, why);
    }
    refusals.flush(audit);
    return AdminResponse.error(HttpResponseStatus.UNAUTHORIZED, "unauthorized: " + why);
  }

  /** The peer's address without its port: what a lock-out applies to. */
  static String peer(ChannelHandlerContext ctx) {
    SocketAddress address = ctx.channel().remoteAddress();
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
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
    if (response.retryAfterSeconds() > 0) {
      http.headers().setInt(HttpHeaderNames.RETRY_AFTER, (int) response.retryAfterSeconds());
    }
    response.headers().forEach(http.headers()::set);
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
