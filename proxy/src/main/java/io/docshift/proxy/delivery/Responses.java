package io.docshift.proxy.delivery;

import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import io.docshift.proxy.pipeline.Verdict;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Optional;

/**
 * Bodiless responses as the CDN sends them: errors carry no body and the reason in {@code
 * X-Cld-Error} (Cloudinary contract §6), every response says {@code nosniff}.
 */
public final class Responses {
  private Responses() {}

  /** An error with {@code X-Cld-Error: reason}. */
  static ClassifiedFullResponse error(HttpResponseStatus status, String reason, Verdict verdict) {
    ClassifiedFullResponse response = empty(status, verdict);
    response.headers().set("X-Cld-Error", reason);
    return response;
  }

  static ClassifiedFullResponse empty(HttpResponseStatus status, Verdict verdict) {
    ClassifiedFullResponse response = new ClassifiedFullResponse(status, verdict);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    response.headers().set(Representation.NOSNIFF, "nosniff");
    return response;
  }

  /** Writes a complete response; closes the connection afterwards unless {@code keepAlive}. */
  public static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The answer to a read that failed on every store it tried. */
  static ClassifiedFullResponse storeFailure(Operation operation, StoreException failure) {
    Outcome outcome = failure.outcome();
    Verdict verdict = new Verdict(operation, Optional.of(failure.backend()), outcome);
    if (failure.refusalStatus().isPresent()) {
      // The backend refused the client's own request: relay its status and reason as they are.
      String reason = failure.refusalReason().orElse("Refused");
      ClassifiedFullResponse response =
          error(HttpResponseStatus.valueOf(failure.refusalStatus().getAsInt()), reason, verdict);
      response.headers().set(Representation.BACKEND_HEADER, failure.backend().tag());
      failure.refusalReason().ifPresent(r -> response.headers().set("X-Cld-Error", r));
      return response;
    }
    ClassifiedFullResponse response = error(status(outcome), reason(outcome), verdict);
    response.headers().set(Representation.BACKEND_HEADER, failure.backend().tag());
    return response;
  }

  private static HttpResponseStatus status(Outcome outcome) {
    switch (outcome) {
      case NOT_FOUND:
        return HttpResponseStatus.NOT_FOUND;
      case CLIENT_ERROR:
        return HttpResponseStatus.BAD_REQUEST;
      case S3_TIMEOUT:
      case CLOUDINARY_TIMEOUT:
        return HttpResponseStatus.GATEWAY_TIMEOUT;
      default:
        return HttpResponseStatus.BAD_GATEWAY;
    }
  }

  private static String reason(Outcome outcome) {
    if (outcome == Outcome.NOT_FOUND) {
      return "Resource not found";
    }
    return outcome == Outcome.CLIENT_ERROR ? "Bad request" : "Upstream failure";
  }

  static Verdict verdict(Operation operation, Backend backend, Outcome outcome) {
    return new Verdict(operation, Optional.of(backend), outcome);
  }
}
