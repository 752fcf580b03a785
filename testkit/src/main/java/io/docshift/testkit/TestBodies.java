package io.docshift.testkit;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** Test bodies: deterministic bytes, digests, and a demand-honouring chunked publisher. */
public final class TestBodies {
  private TestBodies() {}

  public static byte[] random(int length, long seed) {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    return data;
  }

  public static String md5Hex(byte[] data) {
    return digest("MD5", data);
  }

  public static String sha256Hex(byte[] data) {
    return digest("SHA-256", data);
  }

  private static String digest(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** Emits {@code data} in chunks of {@code chunkSize}, never more than requested. */
  public static Publisher<ByteBuffer> chunked(byte[] data, int chunkSize) {
    return subscriber ->
        subscriber.onSubscribe(new ChunkSubscription(data, chunkSize, null, subscriber));
  }

  /**
   * Like {@link #chunked}, but once every chunk is delivered the body fails with what {@code
   * failure} makes instead of completing: a body whose connection broke after {@code data}.
   */
  public static Publisher<ByteBuffer> chunkedThenFailing(
      byte[] data, int chunkSize, Supplier<? extends Throwable> failure) {
    requireNonNull(failure, "failure");
    return subscriber ->
        subscriber.onSubscribe(new ChunkSubscription(data, chunkSize, failure, subscriber));
  }

  private static final class ChunkSubscription implements Subscription {
    private final byte[] data;
    private final int chunkSize;

    /** What ends the body once it is delivered; null: it completes. */
    private final Supplier<? extends Throwable> failure;

    private final Subscriber<? super ByteBuffer> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean done = new AtomicBoolean();
    private int position;

    ChunkSubscription(
        byte[] data,
        int chunkSize,
        Supplier<? extends Throwable> failure,
        Subscriber<? super ByteBuffer> subscriber) {
      this.data = data;
      this.chunkSize = chunkSize;
      this.failure = failure;
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        done.set(true);
        subscriber.onError(new IllegalArgumentException("rule 3.9: request " + n));
        return;
      }
      demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      drain();
    }

    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      do {
        while (!done.get() && demand.get() > 0 && position < data.length) {
          int length = Math.min(chunkSize, data.length - position);
          ByteBuffer chunk = ByteBuffer.wrap(data, position, length).slice();
          position += length;
          demand.decrementAndGet();
          subscriber.onNext(chunk);
        }
        if (position >= data.length && done.compareAndSet(false, true)) {
          end();
        }
      } while (wip.decrementAndGet() != 0);
    }

    private void end() {
      if (failure == null) {
        subscriber.onComplete();
      } else {
        subscriber.onError(failure.get());
      }
    }

    @Override
    public void cancel() {
      done.set(true);
    }
  }
}
