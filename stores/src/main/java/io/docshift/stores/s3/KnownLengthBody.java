package io.docshift.stores.s3;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * Hands the caller's publisher to the SDK with its length, so the request carries a plain {@code
 * Content-Length} and the SDK pulls bytes only as the socket drains. The store disables SDK retries
 * because this body cannot be replayed.
 */
final class KnownLengthBody implements AsyncRequestBody {
  private final long length;
  private final String contentType;
  private final Publisher<ByteBuffer> body;

  KnownLengthBody(long length, String contentType, Publisher<ByteBuffer> body) {
    this.length = length;
    this.contentType = contentType;
    this.body = body;
  }

  @Override
  public Optional<Long> contentLength() {
    return Optional.of(length);
  }

  @Override
  public String contentType() {
    return contentType;
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
    body.subscribe(subscriber);
  }
}
