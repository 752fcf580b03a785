package io.docshift.proxy;

import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.StoreException;
import io.docshift.write.PassThroughResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Forwards a request Cloudinary must answer itself and streams its answer back as is (status,
 * forwarded headers, body with backpressure), adding only {@code X-DocShift-Backend} and {@code
 * nosniff}. A failure to reach Cloudinary becomes 502/504 with {@code X-Cld-Error}.
 */
final class PassThroughExchange {
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final String rawPath;
  private final Operation operation;
  private final boolean keepAlive;
  private final Consumer<BodyStreamer<?>> onStream;
  private final Duration storeTotalWait;

  PassThroughExchange(
      ChannelHandlerContext ctx,
      HttpRequest request,
      String rawPath,
      Operation operation,
      boolean keepAlive,
      Consumer<BodyStreamer<?>> onStream,
      Duration storeTotalWait) {
    this.storeTotalWait = storeTotalWait;
    this.ctx = ctx;
    this.request = request;
    this.rawPath = rawPath;
    this.operation = operation;
    this.keepAlive = keepAlive;
    this.onStream = onStream;
  }

  /** The request's headers, first value per name, for the forwarder to pick from. */
  static Map<String, String> headers(HttpRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    request.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
    return headers;
  }

  /** Answers the client with Cloudinary's answer to {@code call} once it arrives. */
  void start(CompletableFuture<PassThroughResponse> call) {
    call.whenCompleteAsync(this::answer, ctx.executor());
  }

  private void answer(PassThroughResponse answer, Throwable failure) {
    if (failure != null) {
      StoreException e = StoreException.wrap(Backend.CLOUDINARY, "pass-through", rawPath, failure);
      if (ctx.channel().isActive()) {
        Responses.send(ctx, Responses.storeFailure(operation, e), keepAlive);
      }
      return;
    }
    if (!ctx.channel().isActive()) {
      answer.body().subscribe(new Cancelling<>());
      return;
    }
    Verdict verdict =
        new Verdict(
            operation,
            Optional.of(Backend.CLOUDINARY),
            OutcomeClassifier.fromRelayedCloudinaryStatus(answer.status()));
    ClassifiedResponse response =
        new ClassifiedResponse(HttpResponseStatus.valueOf(answer.status()), verdict);
    answer.headers().forEach((name, values) -> response.headers().add(name, values));
    response.headers().set(Representation.NOSNIFF, "nosniff");
    response.headers().set(Representation.BACKEND_HEADER, Backend.CLOUDINARY.tag());
    long expected = expectedBytes(answer);
    if (expected < 0) {
      HttpUtil.setTransferEncodingChunked(response, true);
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    ctx.write(response);
    BodyStreamer<List<ByteBuffer>> streamer =
        new BodyStreamer<>(
            ctx,
            PassThroughExchange::wrap,
            expected,
            keepAlive,
            verdict,
            Backend.CLOUDINARY,
            storeTotalWait);
    onStream.accept(streamer);
    answer.body().subscribe(streamer);
  }

  /** HEAD, 204 and 304 carry no body whatever their Content-Length says. */
  private long expectedBytes(PassThroughResponse answer) {
    int status = answer.status();
    if (request.method().equals(HttpMethod.HEAD) || status == 204 || status == 304) {
      return 0;
    }
    List<String> length = answer.headers().get("content-length");
    if (length == null || length.size() != 1) {
      return -1;
    }
    try {
      return Long.parseLong(length.get(0).strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static ByteBuf wrap(List<ByteBuffer> buffers) {
    return Unpooled.wrappedBuffer(buffers.toArray(new ByteBuffer[0]));
  }
}
