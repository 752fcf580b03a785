package io.docshift.core.digest;

import static java.util.Objects.requireNonNull;

import io.docshift.core.digest.Digester.Algorithm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Consumes a store's body, checksumming it as it streams ({@link Digester}) and optionally writing
 * each buffer to a {@link Sink} (a spool file or buffer); no buffer outlives its {@code onNext}.
 * Demand stays a few buffers ahead, so the store is read only as fast as hashing (and the disk) go.
 * {@link #done()} completes with the {@link Digests} at the end of the body, or fails with the
 * body's error, the sink's {@link IOException}, or the reason given to {@link #cancel}. The sink
 * stays the caller's to finish and close.
 */
public final class BodyHasher implements Subscriber<ByteBuffer> {
  private static final int AHEAD = 4;

  /** Where the hashed bytes go. */
  @FunctionalInterface
  public interface Sink {
    /** Writes every remaining byte of {@code buffer}; called serially. */
    void write(ByteBuffer buffer) throws IOException;
  }

  private final Digester digester;
  private final Sink sink;
  private final CompletableFuture<Digests> done = new CompletableFuture<>();
  private Subscription subscription;
  private boolean cancelled;

  private BodyHasher(Digester digester, Sink sink) {
    this.digester = digester;
    this.sink = sink;
  }

  /** CRC-32C only: what a first comparison needs (hardware-accelerated, several GB/s). */
  public static BodyHasher checksum() {
    return new BodyHasher(Digester.of(Algorithm.CRC32C), null);
  }

  /** CRC-32C and MD5: for a comparison whose result is kept as evidence. */
  public static BodyHasher withMd5() {
    return new BodyHasher(Digester.of(Algorithm.CRC32C, Algorithm.MD5), null);
  }

  /** MD5 and SHA-256, every byte written to {@code sink}: what a copy to S3 needs. */
  public static BodyHasher spooling(Sink sink) {
    return new BodyHasher(Digester.forS3(), requireNonNull(sink, "sink"));
  }

  /** {@link #spooling(Sink)} to a channel (a spool file). */
  public static BodyHasher spooling(WritableByteChannel channel) {
    requireNonNull(channel, "channel");
    return spooling(
        buffer -> {
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        });
  }

  /** Completes with the body's digests once it ended (and every byte reached the sink). */
  public CompletableFuture<Digests> done() {
    return done;
  }

  /** Stops reading (timeout, shutdown) and fails {@link #done()}; safe before subscription. */
  public void cancel(Throwable why) {
    Subscription s;
    synchronized (this) {
      cancelled = true;
      s = subscription;
    }
    if (s != null) {
      s.cancel();
    }
    done.completeExceptionally(why);
  }

  @Override
  public void onSubscribe(Subscription s) {
    synchronized (this) {
      if (subscription != null || cancelled) {
        s.cancel();
        return;
      }
      subscription = s;
    }
    s.request(AHEAD);
  }

  @Override
  public void onNext(ByteBuffer buffer) {
    if (done.isDone()) {
      return;
    }
    digester.update(buffer);
    if (sink != null && !write(buffer)) {
      return;
    }
    subscription.request(1);
  }

  private boolean write(ByteBuffer buffer) {
    try {
      sink.write(buffer);
      return true;
    } catch (IOException e) {
      cancel(e);
      return false;
    }
  }

  @Override
  public void onError(Throwable t) {
    done.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (!done.isDone()) {
      done.complete(digester.finish());
    }
  }
}
