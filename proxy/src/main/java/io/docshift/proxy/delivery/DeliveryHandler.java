package io.docshift.proxy.delivery;

import io.docshift.core.key.DeliveryRequest;
import io.docshift.core.key.InvalidDocumentKeyException;
import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import io.docshift.proxy.pipeline.PipelineSequencer;
import io.docshift.proxy.pipeline.Rejection;
import io.docshift.proxy.pipeline.RequestMetrics;
import io.docshift.proxy.pipeline.Verdict;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;

/**
 * Translates one delivery request into store calls: checks the method, parses the path ({@link
 * DeliveryRequest}), enforces access exactly as Cloudinary does (a valid {@code s--SIG--} for
 * private and authenticated, and for any URL that carries one) before any store is asked, then
 * hands originals to {@link OriginalExchange} and everything Cloudinary must answer itself
 * (transformations, delivery types DocShift does not store) to {@link DeliveryPassThrough}. Answers
 * {@link Rejection}s from the codec group. One request at a time (see {@link PipelineSequencer});
 * tells the body being streamed when the channel's writability changes or the client leaves.
 */
final class DeliveryHandler extends ChannelInboundHandlerAdapter {
  private final DeliverySources services;
  private final DeliverySettings settings;
  private ResponseStream streaming;

  DeliveryHandler(DeliverySources services, DeliverySettings settings) {
    this.services = services;
    this.settings = settings;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Rejection) {
        Rejection r = (Rejection) msg;
        Verdict verdict = RequestMetrics.rejected(Outcome.CLIENT_ERROR);
        Responses.send(ctx, Responses.error(r.status(), r.reason(), verdict), false);
      } else if (msg instanceof HttpRequest) {
        serve(ctx, (HttpRequest) msg);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void serve(ChannelHandlerContext ctx, HttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpMethod method = request.method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      Verdict verdict = RequestMetrics.rejected(Outcome.CLIENT_ERROR);
      var response =
          Responses.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed", verdict);
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      Responses.send(ctx, response, keepAlive);
      return;
    }
    String uri = request.uri();
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    String rawQuery = q < 0 ? null : uri.substring(q + 1);
    DeliveryRequest delivery;
    try {
      delivery = DeliveryRequest.parse(rawPath, services.cloudName());
    } catch (InvalidDocumentKeyException e) {
      refuseOrPass(ctx, request, e, rawPath, rawQuery, keepAlive);
      return;
    }
    String denied = accessDenied(delivery);
    if (denied != null) {
      reject(ctx, HttpResponseStatus.UNAUTHORIZED, denied, keepAlive);
    } else if (!delivery.isOriginal() || signedUpload(delivery)) {
      passThroughUnlessRemoved(ctx, request, delivery, afterCloud(rawPath), rawQuery, keepAlive);
    } else {
      new OriginalExchange(
              ctx, request, delivery.key(), services, settings, keepAlive, this::streaming)
          .start();
    }
  }

  private void refuseOrPass(
      ChannelHandlerContext ctx,
      HttpRequest request,
      InvalidDocumentKeyException e,
      String rawPath,
      String rawQuery,
      boolean keepAlive) {
    switch (e.reason()) {
      case TOO_LONG:
        reject(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "Request path too long", false);
        break;
      case UNSUPPORTED:
        // A well-formed path DocShift does not store (fetch, other clouds): Cloudinary decides.
        passThrough(ctx, request, afterCloud(rawPath), rawQuery, keepAlive);
        break;
      default:
        reject(ctx, HttpResponseStatus.BAD_REQUEST, "Invalid path", false);
    }
  }

  /**
   * An upload-type URL that carries a (valid) signature: how access-controlled documents ({@code
   * access_mode: authenticated}) are read. DocShift reads upload-type originals unsigned and does
   * not know an asset's access mode, so such a URL goes to Cloudinary as sent, signature included,
   * and Cloudinary decides; the price is that signed URLs of public originals are never served from
   * S3.
   */
  private static boolean signedUpload(DeliveryRequest delivery) {
    return delivery.signature().isPresent() && !delivery.key().type().signatureRequired();
  }

  /** Cloudinary's rule, with the emulator's texts: why the signature fails, or null when fine. */
  private String accessDenied(DeliveryRequest delivery) {
    if (delivery.signature().isPresent()) {
      boolean valid =
          services.signer().verifyDelivery(delivery.stringToSign(), delivery.signature().get());
      return valid ? null : "Invalid signature";
    }
    return delivery.key().type().signatureRequired()
        ? "Signature required for " + delivery.key().type().wireName() + " resources"
        : null;
  }

  /**
   * The raw path without a leading {@code /{cloud}} segment, as Cloudinary's base already has it.
   */
  private String afterCloud(String rawPath) {
    int slash = rawPath.indexOf('/', 1);
    if (slash > 0 && rawPath.substring(1, slash).equals(services.cloudName())) {
      return rawPath.substring(slash);
    }
    return rawPath;
  }

  /**
   * Cloudinary answers this request itself, unless the document was removed through DocShift in
   * {@code S3_ONLY}: Cloudinary never heard of that removal and would still serve a transformation
   * or a signed URL of it, so the answer is the 404 of a missing document, as for its original. The
   * ledger is asked only in {@code S3_ONLY}; in every other mode the pass-through starts at once.
   */
  private void passThroughUnlessRemoved(
      ChannelHandlerContext ctx,
      HttpRequest request,
      DeliveryRequest delivery,
      String rawPath,
      String rawQuery,
      boolean keepAlive) {
    CompletableFuture<Boolean> removed = services.store().removedInS3Only(delivery.key());
    if (removed.isDone() && !removed.isCompletedExceptionally() && !removed.join()) {
      passThrough(ctx, request, rawPath, rawQuery, keepAlive);
      return;
    }
    removed.whenComplete(
        (gone, failure) ->
            ctx.executor()
                .execute(
                    () -> {
                      if (!ctx.channel().isActive()) {
                        return;
                      }
                      if (failure == null && gone) {
                        StoreException notFound =
                            new StoreException(
                                Backend.CLOUDINARY,
                                Outcome.NOT_FOUND,
                                "removed through DocShift in S3_ONLY",
                                null);
                        Responses.send(
                            ctx, Responses.storeFailure(operation(request), notFound), keepAlive);
                      } else {
                        passThrough(ctx, request, rawPath, rawQuery, keepAlive);
                      }
                    }));
  }

  private void passThrough(
      ChannelHandlerContext ctx,
      HttpRequest request,
      String rawPath,
      String rawQuery,
      boolean keepAlive) {
    String target = rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    streaming = DeliveryPassThrough.relay(ctx, services.delivery(), request, target, keepAlive);
  }

  private static void reject(
      ChannelHandlerContext ctx, HttpResponseStatus status, String reason, boolean keepAlive) {
    Outcome outcome = Outcome.CLIENT_ERROR;
    Responses.send(
        ctx, Responses.error(status, reason, RequestMetrics.rejected(outcome)), keepAlive);
  }

  private void streaming(ResponseStream stream) {
    this.streaming = stream;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (streaming != null && !streaming.done()) {
      streaming.writabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (streaming != null && !streaming.done()) {
      streaming.clientGone();
    }
    ctx.fireChannelInactive();
  }

  static Operation operation(HttpRequest request) {
    return request.method().equals(HttpMethod.HEAD) ? Operation.HEAD : Operation.GET;
  }
}
