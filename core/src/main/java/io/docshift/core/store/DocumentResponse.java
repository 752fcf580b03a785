package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A document being read: its metadata, the part being sent when a range was served, and the body.
 *
 * <p>The body is a single-subscriber publisher that honours {@code request(n)}: the backend is read
 * only as fast as the subscriber asks. The subscriber owns each delivered buffer (plain NIO
 * buffers, never pooled). It must drain or cancel the body; {@link #discard()} cancels it for
 * callers that decide not to read it (e.g. a HEAD answered from a GET, or a client that went away).
 *
 * @param meta metadata of the whole document
 * @param contentRange the part carried by {@code body} when the store honoured a range
 * @param body the bytes; errors are {@link StoreException}s or backend I/O exceptions
 */
public record DocumentResponse(
    DocumentMeta meta, Optional<ContentRange> contentRange, Publisher<ByteBuffer> body) {
  /** Validates that no component is null. */
  public DocumentResponse {
    requireNonNull(meta, "meta");
    requireNonNull(contentRange, "contentRange");
    requireNonNull(body, "body");
  }

  /** Bytes the body will carry, when known. */
  public OptionalLong bodyLength() {
    return contentRange.isPresent() ? OptionalLong.of(contentRange.get().length()) : meta.length();
  }

  /** Subscribes to the body and cancels at once, releasing the backend connection. */
  public void discard() {
    discard(body);
  }

  /** Subscribes to a body nobody will read and cancels it at once, releasing its connection. */
  public static void discard(Publisher<ByteBuffer> body) {
    body.subscribe(
        new Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Subscription s) {
            s.cancel();
          }

          @Override
          public void onNext(ByteBuffer item) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onComplete() {}
        });
  }
}
