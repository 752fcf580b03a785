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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;

/** How {@link BodyStreamer} ends a body on the client's connection: whole, or short and closed. */
class BodyStreamerTest {
  @Test
  void aBodyShorterThanAnnouncedClosesTheConnectionWithoutCompleting() {
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelHandlerContext ctx =
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter()).firstContext();
    Verdict verdict = new Verdict(Operation.GET, Optional.of(Backend.S3), Outcome.SUCCESS);
    BodyStreamer<ByteBuffer> streamer = streamer(ctx, 10, verdict);
    bytes("12345").subscribe(streamer);
    channel.runPendingTasks();
    assertThat(channel.outboundMessages()).noneMatch(m -> m instanceof LastHttpContent);
    assertThat(channel.isActive()).isFalse();
    assertThat(verdict.aborted()).isTrue();
    channel.finishAndReleaseAll();
  }

  @Test
  void aCompleteBodyEndsWithLastContent() {
    EmbeddedChannel channel = new EmbeddedChannel();
    ChannelHandlerContext ctx =
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter()).firstContext();
    Verdict verdict = new Verdict(Operation.GET, Optional.of(Backend.S3), Outcome.SUCCESS);
    bytes("12345").subscribe(streamer(ctx, 5, verdict));
    channel.runPendingTasks();
    HttpContent part = channel.readOutbound();
    part.release();
    assertThat(channel.<Object>readOutbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat(channel.isActive()).isTrue();
    assertThat(verdict.aborted()).isFalse();
    channel.finishAndReleaseAll();
  }

  /** A keep-alive streamer of an S3 body of {@code length} bytes, on the system clock. */
  private static BodyStreamer<ByteBuffer> streamer(
      ChannelHandlerContext ctx, long length, Verdict verdict) {
    return new BodyStreamer<>(
        ctx,
        Unpooled::wrappedBuffer,
        length,
        true,
        verdict,
        Backend.S3,
        Duration.ofMinutes(2),
        System::nanoTime);
  }

  /** A one-item publisher that honours demand. */
  private static Publisher<ByteBuffer> bytes(String text) {
    return subscriber ->
        subscriber.onSubscribe(
            new Subscription() {
              private boolean sent;

              @Override
              public void request(long n) {
                if (!sent && n > 0) {
                  sent = true;
                  subscriber.onNext(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
                  subscriber.onComplete();
                }
              }

              @Override
              public void cancel() {
                sent = true;
              }
            });
  }
}
