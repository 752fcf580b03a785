package io.docshift.stores.s3;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.docshift.stores.http.UpstreamExchange;
import io.docshift.stores.http.UpstreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One streamed S3 PUT's answer: a 2xx completes {@link #result()} with the ETag S3 computed, any
 * other status fails it with the {@link StoreException} the SDK path raises for it. The error is
 * built as the SDK's own {@link S3Exception} (status plus the {@code <Code>} of the XML body), so
 * it is classified by the same rules ({@code BadDigest} a checksum mismatch, 5xx and {@code
 * SlowDown} the backend's fault) and a 412/409 is the failed precondition callers look for in the
 * cause. The answer's body is read to its end, so the connection is reused; an error body longer
 * than {@link S3Answers#MAX_ERROR_BYTES} closes it and is classified by what arrived.
 */
final class S3PutCall implements UpstreamListener {
  private final DocumentKey key;
  private final OptionalLong version;
  private final CompletableFuture<PutResult> result = new CompletableFuture<>();
  private final StringBuilder errorBody = new StringBuilder();
  private HttpResponse answer;
  private UpstreamExchange exchange;

  /**
   * @param version the Cloudinary version the put records, reported back in its result
   */
  S3PutCall(DocumentKey key, OptionalLong version) {
    this.key = key;
    this.version = version;
  }

  CompletableFuture<PutResult> result() {
    return result;
  }

  @Override
  public void onResponse(HttpResponse response, UpstreamExchange started) {
    answer = response;
    exchange = started;
    started.read();
  }

  @Override
  public void onContent(ByteBuf content, boolean last) {
    boolean fits;
    try {
      fits = errorBody.length() + content.readableBytes() <= S3Answers.MAX_ERROR_BYTES;
      if (fits && !succeeded()) {
        errorBody.append(content.toString(StandardCharsets.UTF_8));
      }
    } finally {
      content.release();
    }
    if (!fits) {
      exchange.abort();
      finish();
    } else if (last) {
      finish();
    } else {
      exchange.read();
    }
  }

  @Override
  public void onFailure(StoreException failure, boolean responseStarted) {
    if (answer != null) {
      finish(); // the status is S3's word on the put, whatever became of the rest
    } else {
      result.completeExceptionally(failure);
    }
  }

  private boolean succeeded() {
    return answer.status().codeClass() == HttpStatusClass.SUCCESS;
  }

  private void finish() {
    if (succeeded()) {
      String etag = answer.headers().get(HttpHeaderNames.ETAG);
      result.complete(new PutResult(DocumentMeta.md5FromEtag(etag), version));
      return;
    }
    int status = answer.status().code();
    String code = S3Answers.code(errorBody.toString());
    S3Exception refused =
        (S3Exception)
            S3Exception.builder()
                .statusCode(status)
                .message("HTTP " + status + (code == null ? "" : " " + code))
                .awsErrorDetails(
                    AwsErrorDetails.builder().errorCode(code).serviceName("S3").build())
                .build();
    result.completeExceptionally(StoreException.wrap(Backend.S3, "put", key, refused));
  }
}
