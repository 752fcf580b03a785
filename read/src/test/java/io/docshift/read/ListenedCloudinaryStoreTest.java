package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;

/**
 * The listener hears of a whole original Cloudinary served once its body completed or the client
 * cancelled it, after the subscriber did; never of a body Cloudinary broke off, nor of a range.
 */
class ListenedCloudinaryStoreTest {
  static final DocumentKey KEY =
      DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "docs/a.pdf", null);
  static final byte[] DOC = TestBodies.random(10_000, 1);

  final List<DocumentKey> told = new CopyOnWriteArrayList<>();

  @Test
  void aCompletedBodyPassesUnchangedAndIsToldOnce() throws Exception {
    DocumentStore store = listened(TestBodies.chunked(DOC, 1000), Optional.empty());

    DocumentResponse r = store.get(KEY, Optional.empty()).get(5, TimeUnit.SECONDS);

    assertThat(told).isEmpty(); // not before the body ended
    assertThat(SlowSubscriber.collect(r.body()).get(5, TimeUnit.SECONDS)).isEqualTo(DOC);
    assertThat(told).containsExactly(KEY);
  }

  @Test
  void aClientThatCancelsIsToldOnce() throws Exception {
    DocumentStore store = listened(TestBodies.chunked(DOC, 1000), Optional.empty());
    DocumentResponse r = store.get(KEY, Optional.empty()).get(5, TimeUnit.SECONDS);

    r.discard();

    assertThat(told).containsExactly(KEY);
  }

  @Test
  void aBodyCloudinaryBrokeOffIsNotTold() throws Exception {
    Publisher<ByteBuffer> broken =
        subscriber -> {
          subscriber.onSubscribe(
              new Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
              });
          subscriber.onError(new IOException("connection reset"));
        };
    DocumentStore store = listened(broken, Optional.empty());
    DocumentResponse r = store.get(KEY, Optional.empty()).get(5, TimeUnit.SECONDS);

    CompletableFuture<byte[]> body = SlowSubscriber.collect(r.body());

    assertThat(body).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class);
    assertThat(told).isEmpty();
  }

  @Test
  void rangesAndPartialAnswersAreNotTold() throws Exception {
    DocumentStore asked = listened(TestBodies.chunked(DOC, 1000), Optional.empty());
    DocumentResponse ranged =
        asked.get(KEY, Optional.of(ByteRange.closed(0, 99))).get(5, TimeUnit.SECONDS);
    SlowSubscriber.collect(ranged.body()).get(5, TimeUnit.SECONDS);
    DocumentStore partial =
        listened(TestBodies.chunked(DOC, 1000), Optional.of(new ContentRange(0, 9_999, 20_000)));
    DocumentResponse part = partial.get(KEY, Optional.empty()).get(5, TimeUnit.SECONDS);
    SlowSubscriber.collect(part.body()).get(5, TimeUnit.SECONDS);

    assertThat(told).isEmpty();
  }

  DocumentStore listened(Publisher<ByteBuffer> body, Optional<ContentRange> part) {
    return new ListenedCloudinaryStore(new OneAnswer(body, part), told::add);
  }

  /** Cloudinary answering every GET with one body. */
  private static final class OneAnswer extends UnscriptedStore {
    private final Publisher<ByteBuffer> body;
    private final Optional<ContentRange> part;

    OneAnswer(Publisher<ByteBuffer> body, Optional<ContentRange> part) {
      super(Backend.CLOUDINARY);
      this.body = body;
      this.part = part;
    }

    @Override
    public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
      return CompletableFuture.completedFuture(
          new DocumentResponse(UnscriptedStore.pdf(DOC.length), part, body));
    }
  }
}
