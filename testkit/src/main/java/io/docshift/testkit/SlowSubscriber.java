package io.docshift.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A consumer that asks for one buffer at a time from the test thread, after it has taken the
 * previous one, and records whether the publisher ever delivered more than it had requested.
 */
public final class SlowSubscriber implements Subscriber<ByteBuffer> {
  private static final Object COMPLETE = new Object();

  private final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
  private final AtomicReference<Subscription> subscription = new AtomicReference<>();
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private final AtomicLong requested = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong overDelivered = new AtomicLong();

  @Override
  public void onSubscribe(Subscription s) {
    subscription.set(s);
    subscribed.countDown();
  }

  @Override
  public void onNext(ByteBuffer item) {
    if (delivered.incrementAndGet() > requested.get()) {
      overDelivered.incrementAndGet();
    }
    ByteBuffer copy = ByteBuffer.allocate(item.remaining());
    copy.put(item).flip();
    signals.add(copy);
  }

  @Override
  public void onError(Throwable t) {
    signals.add(t);
  }

  @Override
  public void onComplete() {
    signals.add(COMPLETE);
  }

  /** Subscribes and reads everything, one request at a time; fails on any error signal. */
  public static Result readAll(Publisher<ByteBuffer> body, Duration timeout) throws Exception {
    SlowSubscriber subscriber = new SlowSubscriber();
    body.subscribe(subscriber);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!subscriber.subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("no onSubscribe within " + timeout);
    }
    int chunks = 0;
    while (true) {
      if (subscriber.requested.get() == chunks) {
        subscriber.requested.incrementAndGet();
        subscriber.subscription.get().request(1);
      }
      Object signal =
          subscriber.signals.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (signal == null) {
        throw new AssertionError("no signal within " + timeout + " after " + chunks + " chunks");
      }
      if (signal == COMPLETE) {
        return new Result(out.toByteArray(), chunks, subscriber.overDelivered.get());
      }
      if (signal instanceof Throwable) {
        throw new AssertionError("body failed after " + chunks + " chunks", (Throwable) signal);
      }
      ByteBuffer buffer = (ByteBuffer) signal;
      out.write(buffer.array(), 0, buffer.remaining());
      chunks++;
    }
  }

  /** Collects a body as fast as possible into a future (unbounded demand). */
  public static CompletableFuture<byte[]> collect(Publisher<ByteBuffer> body) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    body.subscribe(
        new Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(ByteBuffer item) {
            byte[] bytes = new byte[item.remaining()];
            item.get(bytes);
            out.write(bytes, 0, bytes.length);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onComplete() {
            result.complete(out.toByteArray());
          }
        });
    return result;
  }

  /** What {@link #readAll} saw. */
  public record Result(byte[] bytes, int chunks, long overDelivered) {}
}
