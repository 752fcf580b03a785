package io.docshift.stores.cloudinary;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Adapts the JDK client's {@code Flow.Publisher<List<ByteBuffer>>} body to a reactive-streams
 * {@code Publisher<ByteBuffer>} that honours demand buffer by buffer: it asks the JDK client for
 * one more list only when the previous list is delivered and the subscriber still wants more, so
 * socket reads follow the consumer. Errors are mapped (classified) before delivery, eagerly. Single
 * subscriber.
 */
final class FlatteningPublisher implements Publisher<ByteBuffer> {
  private final Flow.Publisher<List<ByteBuffer>> upstream;
  private final Function<Throwable, Throwable> errorMapper;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  FlatteningPublisher(
      Flow.Publisher<List<ByteBuffer>> upstream, Function<Throwable, Throwable> errorMapper) {
    this.upstream = upstream;
    this.errorMapper = errorMapper;
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(
          new Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      subscriber.onError(new IllegalStateException("the body has already been subscribed to"));
      return;
    }
    upstream.subscribe(new Bridge(subscriber, errorMapper));
  }

  /** Serialises all downstream signals through {@link #drain()} (work-in-progress counter). */
  private static final class Bridge implements Flow.Subscriber<List<ByteBuffer>>, Subscription {
    private final Subscriber<? super ByteBuffer> downstream;
    private final Function<Throwable, Throwable> errorMapper;
    private final Queue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Flow.Subscription upstream;
    private volatile boolean upstreamPending;
    private volatile boolean done;
    private volatile Throwable error;
    private volatile boolean cancelled;
    private boolean terminated;

    Bridge(Subscriber<? super ByteBuffer> downstream, Function<Throwable, Throwable> errorMapper) {
      this.downstream = downstream;
      this.errorMapper = errorMapper;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      upstream = subscription;
      downstream.onSubscribe(this);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        if (item.hasRemaining()) {
          queue.add(item);
        }
      }
      upstreamPending = false;
      drain();
    }

    @Override
    public void onError(Throwable t) {
      error = t;
      done = true;
      drain();
    }

    @Override
    public void onComplete() {
      done = true;
      drain();
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        // Reactive Streams rule 3.9.
        error = new IllegalArgumentException("request(" + n + "): demand must be positive");
        done = true;
        upstream.cancel();
      } else {
        demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      }
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
      upstream.cancel();
      drain();
    }

    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      do {
        emit();
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }

    private void emit() {
      if (terminated || cancelled) {
        queue.clear();
        return;
      }
      if (error != null) {
        terminated = true;
        queue.clear();
        downstream.onError(errorMapper.apply(error));
        return;
      }
      while (demand.get() > 0 && !queue.isEmpty() && !cancelled) {
        ByteBuffer next = queue.poll();
        demand.decrementAndGet();
        downstream.onNext(next);
      }
      if (queue.isEmpty() && done && !cancelled && error == null) {
        terminated = true;
        downstream.onComplete();
      } else if (queue.isEmpty() && !done && demand.get() > 0 && !upstreamPending) {
        upstreamPending = true;
        upstream.request(1);
      }
    }
  }
}
