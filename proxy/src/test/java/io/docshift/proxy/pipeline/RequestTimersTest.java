package io.docshift.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The request-side timers of a keep-alive connection ({@link HeaderReadTimeout}, {@link
 * BodyReadDeadline}) keep one lazy timer across requests: each request is still judged by its own
 * deadline, never by a timer an earlier request set, on the loop's hand-moved clock.
 */
class RequestTimersTest {
  private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LimitCloses closes = LimitCloses.of(new MicrometerMetricsRecorder(registry));
  private final List<Object> events = new ArrayList<>();
  private EmbeddedChannel channel;
  private long origin;

  @Test
  void aLaterRequestGetsItsWholeHeaderTimeoutFromItsOwnFirstByte() {
    start(new HeaderReadTimeout(Duration.ofSeconds(1), closes));
    bytes(); // request 1 starts the clock at 0
    at(500);
    requestEnded(); // its headers came in time; the timer stays set for 1 s
    at(900);
    bytes(); // request 2: its headers are due at 1.9 s

    at(1_899);
    assertThat(channel.isActive()).isTrue();
    at(1_900);
    assertThat(channel.isActive()).isFalse();
    assertThat(closed(ConnectionLimit.HEADER_DEADLINE)).isEqualTo(1);
  }

  @Test
  void headersThatCameInTimeLeaveNothingToFire() {
    start(new HeaderReadTimeout(Duration.ofSeconds(1), closes));
    bytes();
    at(500);
    channel.pipeline().fireUserEventTriggered(RequestEvent.HEADERS_RECEIVED);
    bytes(); // body bytes do not start the header clock

    at(60_000);
    assertThat(channel.isActive()).isTrue();
    assertThat(closed(ConnectionLimit.HEADER_DEADLINE)).isZero();
  }

  @Test
  void aBodyAfterABodilessRequestIsJudgedByItsOwnStart() {
    start(new BodyReadDeadline(1_000, Duration.ofSeconds(1), closes));
    requestEnded(); // a GET at 0: the timer is set for its grace, 1 s
    at(500);
    channel.pipeline().fireUserEventTriggered(RequestEvent.HEADERS_RECEIVED); // a POST at 0.5 s
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[500])); // earns 0.5 s: due at 2 s

    at(1_999);
    assertThat(events).doesNotContain(RequestEvent.BODY_TOO_SLOW);
    at(2_000);
    assertThat(events).contains(RequestEvent.BODY_TOO_SLOW);
    assertThat(closed(ConnectionLimit.BODY_DEADLINE)).isEqualTo(1);
  }

  @Test
  void aBodyThatEndedLeavesNothingToFire() {
    start(new BodyReadDeadline(1_000, Duration.ofSeconds(1), closes));
    channel.pipeline().fireUserEventTriggered(RequestEvent.HEADERS_RECEIVED);
    at(500);
    channel.pipeline().fireUserEventTriggered(RequestEvent.REQUEST_ENDED);

    at(60_000);
    assertThat(events).doesNotContain(RequestEvent.BODY_TOO_SLOW);
  }

  /** The timer under test, then a handler that keeps what reaches it (events, released bytes). */
  private void start(ChannelInboundHandlerAdapter timer) {
    channel =
        new EmbeddedChannel(
            timer,
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
              }

              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
              }
            });
    channel.freezeTime();
    origin = channel.eventLoop().ticker().nanoTime();
  }

  private void bytes() {
    channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));
  }

  /** The codec group's report that a request's headers came and that it ended. */
  private void requestEnded() {
    channel.pipeline().fireUserEventTriggered(RequestEvent.HEADERS_RECEIVED);
    channel.pipeline().fireUserEventTriggered(RequestEvent.REQUEST_ENDED);
  }

  private double closed(ConnectionLimit limit) {
    return registry
        .counter(MicrometerMetricsRecorder.CONNECTIONS_CLOSED, "reason", limit.tag())
        .count();
  }

  /**
   * Moves the loop's clock to {@code millis} after the start, stopping at every timer on the way so
   * each runs at its own time.
   */
  private void at(long millis) {
    long target = origin + millis * MILLI;
    long next;
    while ((next = channel.runScheduledPendingTasks()) >= 0 && now() + next - target <= 0) {
      channel.advanceTimeBy(next, TimeUnit.NANOSECONDS);
    }
    channel.advanceTimeBy(target - now(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
  }

  private long now() {
    return channel.eventLoop().ticker().nanoTime();
  }
}
