package io.docshift.proxy.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.proxy.pipeline.Verdict;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;

/**
 * The total store wait of a streamed body, on an injected clock: a store that delivers one byte
 * every 200 ms is cut once its waits add up past the bound, while a client that reads slowly (no
 * demand outstanding) does not spend the store's budget.
 */
class StoreWaitTest {
  private static final long BOUND = Duration.ofSeconds(1).toNanos();
  private static final long STEP = Duration.ofMillis(200).toNanos();

  private final AtomicLong now = new AtomicLong();
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final ChannelHandlerContext ctx =
      channel.pipeline().addLast(new ChannelInboundHandlerAdapter()).firstContext();
  private final Verdict verdict =
      new Verdict(Operation.GET, Optional.of(Backend.CLOUDINARY), Outcome.SUCCESS);

  private BodyStreamer<ByteBuffer> streamer(long length) {
    BodyStreamer<ByteBuffer> streamer =
        new BodyStreamer<>(
            ctx,
            Unpooled::wrappedBuffer,
            length,
            true,
            verdict,
            Backend.CLOUDINARY,
            Duration.ofNanos(BOUND),
            now::get);
    streamer.onSubscribe(
        new Subscription() {
          @Override
          public void request(long n) {}

          @Override
          public void cancel() {
            cancelled.set(true);
          }
        });
    channel.runPendingTasks();
    return streamer;
  }

  /** The store delivers one byte after {@code wait} nanoseconds of the clock. */
  private void byteAfter(BodyStreamer<ByteBuffer> streamer, long wait) {
    now.addAndGet(wait);
    streamer.onNext(ByteBuffer.wrap(new byte[] {'x'}));
    channel.runPendingTasks();
  }

  @Test
  void aTricklingStoreIsCutOnceItsWaitsAddUpPastTheBound() {
    BodyStreamer<ByteBuffer> streamer = streamer(100);
    for (int i = 0; i < 5; i++) {
      byteAfter(streamer, STEP);
    }
    assertThat(channel.isActive()).as("1 s of waiting: at the bound, not past it").isTrue();

    byteAfter(streamer, STEP);

    assertThat(channel.isActive()).isFalse();
    assertThat(cancelled).isTrue();
    assertThat(verdict.aborted()).isTrue();
    assertThat(channel.outboundMessages()).noneMatch(m -> m instanceof LastHttpContent);
    channel.finishAndReleaseAll();
  }

  @Test
  void timeWithNoDemandOutstandingIsNotTheStores() {
    BodyStreamer<ByteBuffer> streamer = streamer(8);
    // A client that reads slowly: the channel is not writable, so no more is asked of the store.
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    for (int i = 0; i < 4; i++) {
      byteAfter(streamer, STEP);
    }
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    streamer.writabilityChanged();
    for (int i = 0; i < 4; i++) {
      byteAfter(streamer, Duration.ofMillis(10).toNanos());
    }
    streamer.onComplete();
    channel.runPendingTasks();

    assertThat(channel.isActive()).isTrue();
    assertThat(verdict.aborted()).isFalse();
    Object last = null;
    for (Object m = channel.readOutbound(); m != null; m = channel.readOutbound()) {
      last = m;
      if (m instanceof HttpContent && m != LastHttpContent.EMPTY_LAST_CONTENT) {
        ((HttpContent) m).release();
      }
    }
    assertThat(last).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    channel.finishAndReleaseAll();
  }
}
