package io.docshift.proxy.api;

import io.docshift.write.ApiAnswer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * {@code Expect: 100-continue} (RFC 9110 §10.1.1): a client that asks first gets {@code 100
 * Continue}, or — when its declared body is over the upload limit — a 413 in Cloudinary's error
 * shape without sending a byte. Sits in the codec group so the interim answer is not held behind
 * pipelined responses.
 */
final class ExpectContinue extends HttpServerExpectContinueHandler {
  private final long maxBodyBytes;

  ExpectContinue(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected HttpResponse acceptMessage(HttpRequest request) {
    return HttpUtil.getContentLength(request, -1L) > maxBodyBytes
        ? null
        : super.acceptMessage(request);
  }

  @Override
  protected HttpResponse rejectResponse(HttpRequest request) {
    ApiAnswer answer = ApiRefusals.tooLarge(HttpUtil.getContentLength(request, -1L), maxBodyBytes);
    byte[] body = answer.body();
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            Unpooled.wrappedBuffer(body));
    answer.headers().forEach((name, values) -> response.headers().add(name, values));
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }
}
