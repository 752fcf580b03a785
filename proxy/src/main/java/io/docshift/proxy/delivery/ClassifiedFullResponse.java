package io.docshift.proxy.delivery;

import io.docshift.proxy.pipeline.Classified;
import io.docshift.proxy.pipeline.Verdict;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** A response without a body (errors, 304, HEAD); counted by its {@link Verdict}. */
public final class ClassifiedFullResponse extends DefaultFullHttpResponse implements Classified {
  private final Verdict verdict;

  ClassifiedFullResponse(HttpResponseStatus status, Verdict verdict) {
    this(status, verdict, Unpooled.EMPTY_BUFFER);
  }

  public ClassifiedFullResponse(
      HttpResponseStatus status, Verdict verdict, io.netty.buffer.ByteBuf body) {
    super(HttpVersion.HTTP_1_1, status, body);
    this.verdict = verdict;
  }

  @Override
  public Verdict verdict() {
    return verdict;
  }
}
