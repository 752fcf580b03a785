package io.docshift.proxy;

import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.StoreException;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.stores.http.UpstreamExchange;
import io.docshift.stores.http.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Optional;

/**
 * Relays a delivery request Cloudinary must answer itself (a transformation, a delivery type
 * DocShift does not store) on the proxy's own event loop: the same raw path (with its {@code
 * s--SIG--}) and query, only the request headers that change the answer ({@link
 * #FORWARDED_REQUEST_HEADERS}), and back Cloudinary's status, the {@link
 * #FORWARDED_RESPONSE_HEADERS} as received (text, never re-parsed) plus {@code X-DocShift-Backend}
 * and {@code nosniff}, and the body buffer by buffer, zero-copy.
 *
 * <p>Read-after-write: the next upstream read is asked for only while the client connection is
 * writable, and resumes on {@link #writabilityChanged()}. A failure before the answer starts is a
 * 502/504 with {@code X-Cld-Error}; after it started, the client connection is closed, so a
 * truncated body is never presented as complete (also when the byte count disagrees with the
 * announced length). A client that leaves aborts the upstream call.
 */
final class DeliveryRelay implements UpstreamListener, ResponseStream {
  /** Request headers sent on. */
  static final List<AsciiString> FORWARDED_REQUEST_HEADERS =
      List.of(
          HttpHeaderNames.RANGE,
          HttpHeaderNames.IF_RANGE,
          HttpHeaderNames.IF_NONE_MATCH,
          HttpHeaderNames.IF_MODIFIED_SINCE,
          HttpHeaderNames.ACCEPT);

  /** Response headers sent back; hop-by-hop and framing headers belong to each hop. */
  static final List<AsciiString> FORWARDED_RESPONSE_HEADERS =
      List.of(
          HttpHeaderNames.CONTENT_TYPE,
          HttpHeaderNames.CONTENT_LENGTH,
          HttpHeaderNames.CONTENT_RANGE,
          HttpHeaderNames.CONTENT_DISPOSITION,
          HttpHeaderNames.ETAG,
          HttpHeaderNames.LAST_MODIFIED,
          HttpHeaderNames.CACHE_CONTROL,
          HttpHeaderNames.EXPIRES,
          HttpHeaderNames.VARY,
          HttpHeaderNames.ACCEPT_RANGES,
          AsciiString.cached("x-cld-error"),
          AsciiString.cached("x-emulator-transformation"));

  private final ChannelHandlerContext ctx;
  private final boolean head;
  private final Operation operation;
  private final boolean keepAlive;
  private UpstreamExchange exchange;
  private Verdict verdict;
  private long expected;
  private long sent;
  private boolean started;
  private boolean done;

  DeliveryRelay(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
    this.ctx = ctx;
    this.head = request.method().equals(HttpMethod.HEAD);
    this.operation = Operation.PASS_THROUGH;
    this.keepAlive = keepAlive;
  }

  /** Sends {@code request} on as {@code pathAndQuery} (raw, under the client's base path). */
  void start(UpstreamClient client, HttpRequest request, String pathAndQuery) {
    if (!validTarget(pathAndQuery)) {
      onFailure(
          new StoreException(
              Backend.CLOUDINARY,
              Outcome.CLIENT_ERROR,
              "not a valid URL path: " + pathAndQuery,
              null),
          false);
      return;
    }
    HttpHeaders forwarded = UpstreamClient.newHeaders();
    for (AsciiString name : FORWARDED_REQUEST_HEADERS) {
      String value = request.headers().get(name);
      if (value != null) {
        forwarded.set(name, value);
      }
    }
    exchange = client.send(head ? HttpMethod.HEAD : HttpMethod.GET, pathAndQuery, forwarded, this);
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
    if (!ctx.channel().isActive()) {
      done = true;
      call.abort();
      return;
    }
    int status = answer.status().code();
    verdict =
        new Verdict(
            operation,
            Optional.of(Backend.CLOUDINARY),
            OutcomeClassifier.fromRelayedCloudinaryStatus(status));
    ClassifiedResponse response = new ClassifiedResponse(answer.status(), verdict);
    HttpHeaders out = response.headers();
    for (AsciiString name : FORWARDED_RESPONSE_HEADERS) {
      if (answer.headers().contains(name)) {
        out.add(name, answer.headers().getAll(name));
      }
    }
    out.set(Representation.NOSNIFF, "nosniff");
    out.set(Representation.BACKEND_HEADER, Backend.CLOUDINARY.tag());
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
    if (done) {
      return;
    }
    if (!responseStarted) {
      done = true;
      if (ctx.channel().isActive()) {
        Responses.send(ctx, Responses.storeFailure(operation, failure), keepAlive);
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
    exchange.abort();
    if (verdict != null && !verdict.aborted()) {
      verdict.abort(
          ctx.channel().isActive()
              ? OutcomeClassifier.classify(Backend.CLOUDINARY, cause)
              : Outcome.CLIENT_ERROR);
    }
    ctx.close();
  }
}
