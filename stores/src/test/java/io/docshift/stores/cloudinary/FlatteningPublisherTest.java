package io.docshift.stores.cloudinary;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FlatteningPublisherTest {
  /** Emits prepared lists on demand and records the most demand it was ever asked for at once. */
  private static final class ListSource implements Flow.Publisher<List<ByteBuffer>> {
    private final List<List<ByteBuffer>> lists;
    private final IOException failAtEnd;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong maxOutstanding = new AtomicLong();
    private final AtomicBoolean cancelled = new AtomicBoolean();

    ListSource(List<List<ByteBuffer>> lists, IOException failAtEnd) {
      this.lists = lists;
      this.failAtEnd = failAtEnd;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super List<ByteBuffer>> subscriber) {
      subscriber.onSubscribe(
          new Flow.Subscription() {
            private int next;

            @Override
            public void request(long n) {
              maxOutstanding.accumulateAndGet(outstanding.addAndGet(n), Math::max);
              while (outstanding.get() > 0 && next < lists.size() && !cancelled.get()) {
                outstanding.decrementAndGet();
                subscriber.onNext(lists.get(next++));
              }
              if (next == lists.size() && !cancelled.get()) {
                next++;
                if (failAtEnd != null) {
                  subscriber.onError(failAtEnd);
                } else {
                  subscriber.onComplete();
                }
              }
            }

            @Override
            public void cancel() {
              cancelled.set(true);
            }
          });
    }
  }

  private static List<List<ByteBuffer>> lists(byte[] data, int perList, int chunk) {
    List<List<ByteBuffer>> lists = new ArrayList<>();
    List<ByteBuffer> current = new ArrayList<>();
    for (int at = 0; at < data.length; at += chunk) {
      current.add(ByteBuffer.wrap(data, at, Math.min(chunk, data.length - at)).slice());
      if (current.size() == perList) {
        lists.add(current);
        current = new ArrayList<>();
      }
    }
    current.add(ByteBuffer.allocate(0));
    lists.add(current);
    lists.add(List.of());
    return lists;
  }

  @Test
  void deliversEveryBufferOneRequestAtATime() throws Exception {
    byte[] data = TestBodies.random(100_000, 1);
    ListSource source = new ListSource(lists(data, 3, 1000), null);

    SlowSubscriber.Result result =
        SlowSubscriber.readAll(new FlatteningPublisher(source, t -> t), Duration.ofSeconds(10));

    assertThat(result.bytes()).isEqualTo(data);
    assertThat(result.overDelivered()).isZero();
    assertThat(result.chunks()).isEqualTo(100);
    assertThat(source.maxOutstanding.get()).isEqualTo(1);
  }

  @Test
  void mapsUpstreamErrors() {
    ListSource source = new ListSource(lists(new byte[10], 1, 5), new IOException("reset"));
    FlatteningPublisher publisher =
        new FlatteningPublisher(source, t -> new IllegalStateException("mapped", t));

    Throwable thrown = null;
    try {
      SlowSubscriber.collect(publisher).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      thrown = e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void cancelReachesTheSourceAndASecondSubscriberIsRefused() throws Exception {
    ListSource source = new ListSource(lists(new byte[10], 1, 5), null);
    FlatteningPublisher publisher = new FlatteningPublisher(source, t -> t);

    DocumentMeta meta =
        new DocumentMeta(
            OptionalLong.empty(),
            "application/octet-stream",
            Optional.empty(),
            Optional.empty(),
            OptionalLong.empty(),
            Optional.empty());
    new DocumentResponse(meta, Optional.empty(), publisher).discard();

    assertThat(source.cancelled).isTrue();
    assertThat(SlowSubscriber.collect(publisher))
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withMessageContaining("already been subscribed");
  }
}
