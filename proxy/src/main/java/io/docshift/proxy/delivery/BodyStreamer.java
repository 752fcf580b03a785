package io.docshift.proxy.delivery;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.proxy.pipeline.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Streams a store's body to the client with backpressure: it asks the store for more ({@code
 * request(n)}, at most {@value #WINDOW} items outstanding) only while the channel is writable, and
 * resumes when {@link DeliveryHandler} reports the channel writable again, so a slow client slows
 * the store read and memory stays flat. Every signal runs on the channel's event loop, in the order
 * it arrived: at once when it arrives there with nothing queued (a store on the same loop), through
 * the loop's task queue otherwise.
 *
 * <p>Each buffer from the store is wrapped (not copied) and owned by the write until the encoder
 * releases it. A response is only completed ({@link LastHttpContent}) when exactly the announced
 * number of bytes was sent; a body error, a short or long body, or a failed write aborts: the
 * subscription is cancelled and the connection closed, so a truncated body is never presented as
 * complete.
 *
 * <p>The time spent waiting on the store (demand outstanding, nothing delivered yet) is added up
 * over the whole body; past the configured total ({@code proxy.storeTotalWaitMillis}) the body is
 * aborted the same way. A store that trickles a byte just often enough to never be silent would
 * otherwise hold the connection and its pool slot for ever, while the pauses of a slowly reading
 * client (no demand) do not count.
 */
final class BodyStreamer<T> implements Subscriber<T>, ResponseStream {
  static final int WINDOW = 4;

  private final ChannelHandlerContext ctx;
  private final Function<T, ByteBuf> toBuffer;
  private final long expectedBytes;
  private final boolean keepAlive;
  private final Verdict verdict;
  private final Backend backend;
  private final AtomicInteger queued = new AtomicInteger();
  private final long maxStoreWaitNanos;
  private final LongSupplier clock;
  private long waited;
  private long waitingSince;
  private Subscription subscription;
  private int outstanding;
  private long sent;
  private boolean done;

  /**
   * @param expectedBytes the announced length, or -1 when the response is chunked
   * @param maxStoreWait the total wait on the store the body may take
   * @param clock a nanosecond clock ({@code System::nanoTime}; a hand-moved one in tests)
   */
  BodyStreamer(
      ChannelHandlerContext ctx,
      Function<T, ByteBuf> toBuffer,
      long expectedBytes,
      boolean keepAlive,
      Verdict verdict,
      Backend backend,
      Duration maxStoreWait,
      LongSupplier clock) {
    this.maxStoreWaitNanos = maxStoreWait.toNanos();
    this.clock = clock;
    this.ctx = ctx;
    this.toBuffer = toBuffer;
    this.expectedBytes = expectedBytes;
    this.keepAlive = keepAlive;
    this.verdict = verdict;
    this.backend = backend;
  }

  @Override
  public void onSubscribe(Subscription s) {
    onLoop(() -> subscribed(s));
  }

  /**
   * Runs a signal on the channel's event loop, in arrival order: at once only when on the loop with
   * no earlier signal still queued there. A publisher may signal from its own threads and then,
   * serially after them, from the loop (e.g. inside {@code request}); running that one at once
   * would overtake the queued ones.
   */
  private void onLoop(Runnable signal) {
    if (ctx.executor().inEventLoop() && queued.get() == 0) {
      signal.run();
      return;
    }
    queued.incrementAndGet();
    ctx.executor()
        .execute(
            () -> {
              queued.decrementAndGet();
              signal.run();
            });
  }

  private void subscribed(Subscription s) {
    if (subscription != null || done) {
      s.cancel();
      return;
    }
    subscription = s;
    if (!ctx.channel().isActive()) {
      abort(new java.nio.channels.ClosedChannelException());
      return;
    }
    demand();
  }

  @Override
  public void onNext(T item) {
    onLoop(() -> write(item));
  }

  @Override
  public void onError(Throwable t) {
    onLoop(() -> abort(t));
  }

  @Override
  public void onComplete() {
    onLoop(this::finish);
  }

  @Override
  public void writabilityChanged() {
    demand();
  }

  @Override
  public void clientGone() {
    abort(new java.nio.channels.ClosedChannelException());
  }

  private void demand() {
    if (done || subscription == null || !ctx.channel().isWritable() || outstanding >= WINDOW) {
      return;
    }
    int more = WINDOW - outstanding;
    if (outstanding == 0) {
      waitingSince = clock.getAsLong();
    }
    outstanding += more;
    subscription.request(more);
  }

  private void write(T item) {
    ByteBuf buffer = toBuffer.apply(item);
    if (done) {
      buffer.release();
      return;
    }
    outstanding--;
    long now = clock.getAsLong();
    waited += now - waitingSince;
    waitingSince = now;
    if (waited > maxStoreWaitNanos) {
      buffer.release();
      abort(new TimeoutException("store took over " + maxStoreWaitNanos / 1_000_000 + " ms"));
      return;
    }
    sent += buffer.readableBytes();
    if (expectedBytes >= 0 && sent > expectedBytes) {
      buffer.release();
      abort(new IllegalStateException("body longer than the announced " + expectedBytes));
      return;
    }
    ctx.writeAndFlush(new DefaultHttpContent(buffer))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                abort(f.cause());
              }
            });
    demand();
  }

  private void finish() {
    if (done) {
      return;
    }
    if (expectedBytes >= 0 && sent != expectedBytes) {
      abort(new IllegalStateException("body ended at " + sent + " of " + expectedBytes));
      return;
    }
    done = true;
    if (keepAlive) {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    } else {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void abort(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    if (subscription != null) {
      subscription.cancel();
    }
    if (!verdict.aborted()) {
      verdict.abort(
          ctx.channel().isActive()
              ? OutcomeClassifier.classify(backend, cause)
              : io.docshift.core.outcome.Outcome.CLIENT_ERROR);
    }
    ctx.close();
  }

  @Override
  public boolean done() {
    return done;
  }
}
