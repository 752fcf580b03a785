package io.docshift.proxy.delivery;

import io.docshift.proxy.pipeline.Classified;
import io.docshift.proxy.pipeline.Verdict;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Response headers whose body follows as separate content; counted by its {@link Verdict}. */
final class ClassifiedResponse extends DefaultHttpResponse implements Classified {
  private final Verdict verdict;

  ClassifiedResponse(HttpResponseStatus status, Verdict verdict) {
    super(HttpVersion.HTTP_1_1, status);
    this.verdict = verdict;
  }

  @Override
  public Verdict verdict() {
    return verdict;
  }
}
