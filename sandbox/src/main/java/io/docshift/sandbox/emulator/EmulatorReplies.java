package io.docshift.sandbox.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Builds and sends responses with the headers the Cloudinary API and CDN put on every answer. */
final class EmulatorReplies {
  static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EmulatorReplies() {}

  /** An API response: JSON body, {@code Server: cloudinary} and a fresh {@code X-Request-Id}. */
  static FullHttpResponse json(HttpResponseStatus status, Object body, HttpHeaders extra) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unserialisable response " + body, e);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    response.headers().add(extra);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, JSON_TYPE)
        .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.SERVER, "cloudinary")
        .set("X-Request-Id", requestId());
    return response;
  }

  /** {@code {"error":{"message":...}}} with the exception's status and headers. */
  static FullHttpResponse error(ApiException e) {
    return json(e.status(), Map.of("error", Map.of("message", e.getMessage())), e.headers());
  }

  /** A body-less CDN answer (errors, 304, 416) with {@code Server: Cloudinary}. */
  static FullHttpResponse empty(HttpResponseStatus status) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
    response
        .headers()
        .set(HttpHeaderNames.SERVER, "Cloudinary")
        .set(HttpHeaderNames.CONTENT_LENGTH, 0);
    return response;
  }

  /** A CDN error: the reason travels in {@code X-Cld-Error}, never in a body. */
  static FullHttpResponse cdnError(HttpResponseStatus status, String reason) {
    FullHttpResponse response = empty(status);
    response.headers().set("X-Cld-Error", reason);
    return response;
  }

  /**
   * Writes a complete response, keeping the connection when the request allows it; closes it
   * otherwise, or when {@code forceClose} (e.g. an unread request body is still on the wire).
   */
  static void send(
      ChannelHandlerContext ctx, HttpRequest request, HttpResponse response, boolean forceClose) {
    boolean keepAlive = !forceClose && request != null && HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive) {
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static String requestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }
}
