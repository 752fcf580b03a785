package io.docshift.proxy.delivery;

import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.StoreException;
import io.docshift.proxy.pipeline.Verdict;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.stores.http.UpstreamExchange;
import io.docshift.stores.http.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The one pass-through: relays a client's request that Cloudinary must answer itself to one of
 * Cloudinary's hosts through an {@link UpstreamClient} on the proxy's own event loop, and relays
 * the answer back: Cloudinary's status, the response headers the caller's {@link Rules} keep (as
 * received, never re-parsed) plus {@code X-DocShift-Backend} and {@code nosniff}, and the body
 * buffer by buffer, zero-copy. Its callers only choose the host, the target, the request headers
 * and body, and what the answer counts as: {@link DeliveryPassThrough} (delivery URLs DocShift does
 * not store) and the {@code api} package's {@code ApiPassThrough} ({@code /v1_1/...} calls DocShift
 * does not handle; named, not linked, so this package depends on nothing above it).
 *
 * <p>Read-after-write: the next upstream read is asked for only while the client connection is
 * writable, and resumes on {@link #writabilityChanged()}; the upstream connection has {@code
 * autoRead} off. The client's deadlines are the upstream client's ({@code responseTimeout} for the
 * headers and for a silent body, {@code totalWait} overall). A failure before the answer starts is
 * a 502/504 with {@code X-Cld-Error}; after it started, the client connection is closed, so a
 * truncated body is never presented as complete (also when the byte count disagrees with the
 * announced length). A client that leaves aborts the upstream call, which closes its connection.
 * Cloudinary's 401/403 to a relayed request is the client's error, never Cloudinary's fault.
 */
public final class UpstreamRelay implements UpstreamListener, ResponseStream {
  /**
   * What one caller's relayed calls count as, and which of Cloudinary's response headers go back.
   *
   * @param operation the operation the answer is recorded under
   * @param keepsResponseHeader whether a response header (by name, any case) is relayed
   */
  public record Rules(Operation operation, Predicate<String> keepsResponseHeader) {}

  private final ChannelHandlerContext ctx;
  private final Rules rules;
  private final boolean keepAlive;
  private final CompletableFuture<Void> answered = new CompletableFuture<>();
  private UpstreamExchange exchange;
  private Verdict verdict;
  private boolean head;
  private long expected;
  private long sent;
  private boolean started;
  private boolean done;

  public UpstreamRelay(ChannelHandlerContext ctx, Rules rules, boolean keepAlive) {
    this.ctx = ctx;
    this.rules = rules;
    this.keepAlive = keepAlive;
  }

  /**
   * Sends the call on; a {@code target} that is not a valid URL path is answered 400 unsent.
   *
   * @param target the raw path and query under the client's base path
   * @param body a file to send as the request body, or empty
   * @return completes once Cloudinary's answer started, or the call failed or was dropped: after
   *     that the request body's file is no longer read
   */
  public CompletableFuture<Void> start(
      UpstreamClient client,
      HttpMethod method,
      String target,
      HttpHeaders headers,
      Optional<Path> body) {
    head = method.equals(HttpMethod.HEAD);
    if (!validTarget(target)) {
      onFailure(
          new StoreException(
              Backend.CLOUDINARY, Outcome.CLIENT_ERROR, "not a valid URL path: " + target, null),
          false);
    } else {
      exchange = client.send(method, target, headers, body, this);
    }
    return answered;
  }

  /**
   * Whether {@code target} is an absolute path (and query) of URL characters only, with every
   * {@code %} starting an escape, as {@link java.net.URI} accepts them: nothing else is sent on.
   */
  static boolean validTarget(String target) {
    if (!target.startsWith("/")) {
      return false;
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '%') {
        if (i + 2 >= target.length() || !hex(target.charAt(i + 1)) || !hex(target.charAt(i + 2))) {
          return false;
        }
      } else if (c <= ' ' || c >= 0x7f || "\"<>\\^`{|}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  @Override
  public void onResponse(HttpResponse answer, UpstreamExchange call) {
    exchange = call;
    answered.complete(null);
    if (!ctx.channel().isActive()) {
      done = true;
      call.abort();
      return;
    }
    int status = answer.status().code();
    verdict =
        new Verdict(
            rules.operation(),
            Optional.of(Backend.CLOUDINARY),
            OutcomeClassifier.fromRelayedCloudinaryStatus(status));
    ClassifiedResponse response = new ClassifiedResponse(answer.status(), verdict);
    HttpHeaders out = response.headers();
    for (Map.Entry<String, String> header : answer.headers()) {
      if (rules.keepsResponseHeader().test(header.getKey())) {
        out.add(header.getKey(), header.getValue());
      }
    }
    out.set(Representation.NOSNIFF, "nosniff");
    out.set(Representation.BACKEND_HEADER, Backend.CLOUDINARY.tag());
    // HEAD, 204 and 304 carry no body whatever their Content-Length says.
    expected = head || status == 204 || status == 304 ? 0 : HttpUtil.getContentLength(answer, -1L);
    if (expected < 0) {
      HttpUtil.setTransferEncodingChunked(response, true);
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    started = true;
    ctx.write(response);
    call.read();
  }

  @Override
  public void onContent(ByteBuf content, boolean last) {
    if (done) {
      content.release();
      return;
    }
    sent += content.readableBytes();
    if (expected >= 0 && (sent > expected || (last && sent != expected))) {
      content.release();
      abort(new IllegalStateException("body of " + sent + " bytes, announced " + expected));
      return;
    }
    if (last) {
      done = true;
      ctx.writeAndFlush(new DefaultLastHttpContent(content))
          .addListener(
              keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(new DefaultHttpContent(content))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                abort(f.cause());
              }
            });
    if (ctx.channel().isWritable()) {
      exchange.read();
    }
  }

  @Override
  public void onFailure(StoreException failure, boolean responseStarted) {
    answered.complete(null);
    if (done) {
      return;
    }
    if (!responseStarted) {
      done = true;
      if (ctx.channel().isActive()) {
        Responses.send(ctx, Responses.storeFailure(rules.operation(), failure), keepAlive);
      }
    } else {
      abort(failure);
    }
  }

  @Override
  public void writabilityChanged() {
    if (!done && started && ctx.channel().isWritable()) {
      exchange.read();
    }
  }

  @Override
  public void clientGone() {
    if (!done) {
      abort(new ClosedChannelException());
    }
  }

  @Override
  public boolean done() {
    return done;
  }

  private void abort(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    answered.complete(null);
    if (exchange != null) {
      exchange.abort();
    }
    if (verdict != null && !verdict.aborted()) {
      verdict.abort(
          ctx.channel().isActive()
              ? OutcomeClassifier.classify(Backend.CLOUDINARY, cause)
              : Outcome.CLIENT_ERROR);
    }
    ctx.close();
  }
}
