package io.docshift.proxy.delivery;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.SplicedBody;
import io.docshift.core.store.StoreException;
import io.docshift.proxy.pipeline.Verdict;
import io.docshift.read.Served;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Serves one original through the routed store with the same HTTP semantics whichever backend
 * answers: HEAD and conditional requests ask for metadata first (a 304 never opens a body); a GET
 * streams the body (206 for a single satisfiable range, 416 with the total otherwise). Every store
 * callback runs on the channel's event loop (at once when the store completes there, as the
 * Cloudinary store on the proxy's loops does; through the loop's task queue otherwise); a response
 * that arrives after the client left is discarded so its backend connection is released.
 */
final class OriginalExchange {
  private final ChannelHandlerContext ctx;
  private final HttpHeaders requestHeaders;
  private final boolean head;
  private final DocumentKey key;
  private final DeliverySources services;
  private final DeliverySettings settings;
  private final boolean keepAlive;
  private final Consumer<ResponseStream> onStream;
  private final Optional<ByteRange> range;

  OriginalExchange(
      ChannelHandlerContext ctx,
      HttpRequest request,
      DocumentKey key,
      DeliverySources services,
      DeliverySettings settings,
      boolean keepAlive,
      Consumer<ResponseStream> onStream) {
    this.ctx = ctx;
    this.requestHeaders = request.headers();
    this.head = request.method().equals(HttpMethod.HEAD);
    this.key = key;
    this.services = services;
    this.settings = settings;
    this.keepAlive = keepAlive;
    this.onStream = onStream;
    String rangeHeader = request.headers().get(HttpHeaderNames.RANGE);
    this.range = rangeHeader == null ? Optional.empty() : ByteRange.parse(rangeHeader);
  }

  void start() {
    if (head || Representation.conditional(requestHeaders)) {
      onLoop(services.store().headServed(key), this::metadata);
    } else {
      get();
    }
  }

  /** Runs {@code then} on the channel's event loop when {@code call} completes. */
  private <T> void onLoop(CompletableFuture<T> call, BiConsumer<T, Throwable> then) {
    call.whenComplete(
        (value, failure) -> {
          if (ctx.executor().inEventLoop()) {
            then.accept(value, failure);
          } else {
            ctx.executor().execute(() -> then.accept(value, failure));
          }
        });
  }

  private Operation operation() {
    return head ? Operation.HEAD : Operation.GET;
  }

  private void metadata(Served<DocumentMeta> served, Throwable failure) {
    if (failure != null) {
      fail(failure);
      return;
    }
    DocumentMeta meta = served.value();
    if (Representation.notModified(requestHeaders, meta)) {
      send(bodiless(HttpResponseStatus.NOT_MODIFIED, meta, served.backend()));
    } else if (head) {
      headAnswer(meta, served.backend());
    } else {
      get();
    }
  }

  /** HEAD answers what GET would, without the body: ranges resolved against the known length. */
  private void headAnswer(DocumentMeta meta, Backend backend) {
    Optional<ContentRange> part = Optional.empty();
    if (range.isPresent() && meta.length().isPresent()) {
      part = Representation.resolve(range.get(), meta.length().getAsLong());
      if (part.isEmpty()) {
        unsatisfiable(meta, backend);
        return;
      }
    }
    HttpResponseStatus status =
        part.isPresent() ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK;
    ClassifiedFullResponse response = bodiless(status, meta, backend);
    Representation.content(response.headers(), meta, part);
    send(response);
  }

  private void get() {
    onLoop(services.store().getServed(key, range), this::body);
  }

  private void body(Served<DocumentResponse> served, Throwable failure) {
    if (failure != null) {
      StoreException e = StoreException.wrap(Backend.CLOUDINARY, "get", key, failure);
      if (e.outcome() == Outcome.CLIENT_ERROR && range.isPresent()) {
        // The store refused the range: answer 416 with the total, which needs the length.
        onLoop(services.store().headServed(key), this::rangeRefused);
      } else {
        fail(e);
      }
      return;
    }
    DocumentResponse response = served.value();
    if (!ctx.channel().isActive()) {
      response.discard();
      return;
    }
    stream(response, served.backend());
  }

  private void stream(DocumentResponse document, Backend backend) {
    DocumentMeta meta = document.meta();
    Optional<ContentRange> part = document.contentRange();
    HttpResponseStatus status =
        part.isPresent() ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK;
    Verdict verdict = Responses.verdict(Operation.GET, backend, Outcome.SUCCESS);
    if (document.body() instanceof SplicedBody spliced) {
      verdict.finishedByCloudinaryWhen(spliced::spliced);
    }
    ClassifiedResponse response = new ClassifiedResponse(status, verdict);
    Representation.validators(response.headers(), meta, key.type(), backend, maxAge());
    Representation.content(response.headers(), meta, part);
    long expected = document.bodyLength().orElse(-1);
    if (expected < 0) {
      HttpUtil.setTransferEncodingChunked(response, true);
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    ctx.write(response);
    BodyStreamer<java.nio.ByteBuffer> streamer =
        new BodyStreamer<>(
            ctx,
            Unpooled::wrappedBuffer,
            expected,
            keepAlive,
            verdict,
            backend,
            settings.storeTotalWait(),
            System::nanoTime);
    onStream.accept(streamer);
    document.body().subscribe(streamer);
  }

  private void rangeRefused(Served<DocumentMeta> served, Throwable failure) {
    if (failure != null) {
      fail(failure);
    } else {
      unsatisfiable(served.value(), served.backend());
    }
  }

  private void unsatisfiable(DocumentMeta meta, Backend backend) {
    ClassifiedFullResponse response =
        bodiless(
            HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
            meta,
            backend,
            Outcome.CLIENT_ERROR);
    meta.length()
        .ifPresent(
            total -> response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + total));
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    send(response);
  }

  private ClassifiedFullResponse bodiless(
      HttpResponseStatus status, DocumentMeta meta, Backend backend) {
    return bodiless(status, meta, backend, Outcome.SUCCESS);
  }

  private ClassifiedFullResponse bodiless(
      HttpResponseStatus status, DocumentMeta meta, Backend backend, Outcome outcome) {
    ClassifiedFullResponse response =
        new ClassifiedFullResponse(status, Responses.verdict(operation(), backend, outcome));
    Representation.validators(response.headers(), meta, key.type(), backend, maxAge());
    return response;
  }

  private long maxAge() {
    return settings.cacheMaxAgeSeconds();
  }

  private void fail(Throwable failure) {
    send(
        Responses.storeFailure(
            operation(), StoreException.wrap(Backend.CLOUDINARY, "read", key, failure)));
  }

  private void send(ClassifiedFullResponse response) {
    if (ctx.channel().isActive()) {
      Responses.send(ctx, response, keepAlive);
    }
  }
}
