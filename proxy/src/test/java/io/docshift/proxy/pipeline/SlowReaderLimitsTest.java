package io.docshift.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The limits on slow readers ({@link SlowReaderLimits}), on the event loop's hand-moved clock: each
 * limit judged alone (the others off) behind a fake socket that takes bytes only when the test says
 * the client read them, then all three together as the proxy runs them.
 */
class SlowReaderLimitsTest {
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Duration STALL = Duration.ofSeconds(30);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LimitCloses closes = LimitCloses.of(new MicrometerMetricsRecorder(registry));
  private FullKernel kernel;
  private EmbeddedChannel channel;

  @AfterEach
  void release() {
    if (kernel != null) {
      kernel.close();
    }
  }

  private double closed(ConnectionLimit limit) {
    return registry
        .counter(MicrometerMetricsRecorder.CONNECTIONS_CLOSED, "reason", limit.tag())
        .count();
  }

  /** A whole response with a Content-Length, written at once through the encoder. */
  private void respond(int bytes) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes);
    channel.write(head);
    channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes])));
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /** The per-response deadline alone, behind the real response encoder. */
  @Nested
  class ResponseDeadline {
    private void open(long minBytesPerSecond) {
      kernel =
          FullKernel.under(
              new HttpResponseEncoder(),
              new SlowReaderLimits(0, minBytesPerSecond, GRACE, STALL, closes));
      channel = kernel.channel();
    }

    @Test
    void aResponseNotTakenWithinGracePlusItsSizeAtTheFloorClosesTheConnection() {
      open(1_000);
      respond(100_000); // 10 s + 100 s
      for (int second = 1; second <= 109; second++) {
        kernel.tick(1_000);
        kernel.take(500); // half the floor
      }
      kernel.tick(999);
      assertThat(channel.isOpen()).as("open just before grace + size / rate").isTrue();
      kernel.tick(2);
      assertThat(channel.isOpen()).as("open after grace + size / rate").isFalse();
      assertThat(closed(ConnectionLimit.RESPONSE_DEADLINE)).isEqualTo(1);
    }

    @Test
    void aSlowDownloadAboveTheFloorIsNeverCut() {
      open(1_000);
      respond(100_000);
      kernel.tick(5_000); // a late start: nothing read for five seconds
      while (kernel.held() > 0) {
        kernel.tick(1_000);
        kernel.take(1_100); // a tenth above the floor: done after about 96 s, before 110 s
      }
      kernel.tick(TimeUnit.HOURS.toMillis(1));
      assertThat(channel.isOpen()).isTrue();
      assertThat(closed(ConnectionLimit.RESPONSE_DEADLINE)).isZero();
    }

    @Test
    void aResponseWithoutLengthEarnsTimeForWhatIsWrittenToIt() {
      open(1_000);
      HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      channel.write(head);
      chunk(30_000); // 10 s + 30 s
      kernel.tick(39_000);
      chunk(10_000); // 10 s + 40 s
      kernel.tick(10_999);
      assertThat(channel.isOpen()).as("open just before grace + written / rate").isTrue();
      kernel.tick(2);
      assertThat(channel.isOpen()).isFalse();
    }

    private void chunk(int bytes) {
      channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes])));
    }

    @Test
    void eachResponseHasItsOwnClockFromItsFirstWrite() {
      open(1_000);
      respond(10_000); // due at 20 s
      kernel.tick(15_000);
      kernel.take(Long.MAX_VALUE); // taken whole at 15 s
      respond(10_000); // due at 15 + 20 = 35 s
      kernel.tick(19_999);
      assertThat(channel.isOpen()).as("the first response's deadline is gone").isTrue();
      kernel.tick(2);
      assertThat(channel.isOpen()).as("the second one's has passed").isFalse();
    }

    @Test
    void aResponseQueuedBehindALateOneIsJudgedAsSoonAsItIsTheOldest() {
      open(1_000);
      respond(10_000); // due at 20 s
      respond(1_000); // due at 11 s, but judged only once the first is done
      kernel.tick(15_000);
      assertThat(channel.isOpen()).as("the oldest is not late yet").isTrue();
      kernel.take(10_000 + 200); // the first response whole (and its head), not the second
      assertThat(channel.isOpen()).as("the second was due at 11 s").isFalse();
      assertThat(closed(ConnectionLimit.RESPONSE_DEADLINE)).isEqualTo(1);
    }

    @Test
    void answersTheKernelTakesWholeAreDoneAtOnce() {
      open(1_000);
      kernel.takeEverything = true;
      respond(100_000);
      kernel.tick(TimeUnit.HOURS.toMillis(1));
      assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRateOfZeroTurnsTheDeadlineOff() {
      open(0);
      respond(100_000);
      kernel.tick(TimeUnit.HOURS.toMillis(1));
      assertThat(channel.isOpen()).isTrue();
    }
  }

  /**
   * The response byte-rate floor alone, behind a fake socket whose send buffer is full: the kernel
   * takes bytes only when the test says the client read them.
   */
  @Nested
  class RateFloor {
    private void open(long minBytesPerSecond) {
      kernel = FullKernel.under(new SlowReaderLimits(minBytesPerSecond, 0, GRACE, STALL, closes));
      channel = kernel.channel();
    }

    private void send(int bytes) {
      channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[bytes]));
    }

    @Test
    void aReaderUnderTheFloorIsClosedAtGracePlusWhatItTookAtTheFloorsRate() {
      open(1_000);
      send(100_000);
      for (int second = 1; second <= 10; second++) {
        kernel.tick(1_000);
        kernel.take(100); // 100 B/s, a tenth of the floor
      }
      kernel.tick(999); // took 1,000 bytes: the deadline is 10 s + 1 s
      assertThat(channel.isOpen()).as("open just before grace + taken / rate").isTrue();
      kernel.tick(2);
      assertThat(channel.isOpen()).as("open after grace + taken / rate").isFalse();
      assertThat(closed(ConnectionLimit.RESPONSE_RATE)).isEqualTo(1);
    }

    @Test
    void aReaderThatTakesNothingIsClosedAtTheEndOfTheGrace() {
      open(1_000);
      send(100_000);
      kernel.tick(GRACE.toMillis() - 1);
      assertThat(channel.isOpen()).isTrue();
      kernel.tick(2);
      assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aReaderAtTheFloorIsNeverCutAndTheClockStopsWhenEverythingIsTaken() {
      open(1_000);
      send(60_000);
      send(60_000);
      for (int second = 1; second <= 100; second++) {
        kernel.tick(1_000);
        kernel.take(1_000); // exactly the floor, across both writes
      }
      assertThat(channel.isOpen()).isTrue();
      kernel.take(20_000); // the rest: no backlog left
      kernel.tick(TimeUnit.HOURS.toMillis(1));
      assertThat(channel.isOpen()).as("no clock without a backlog").isTrue();
    }

    @Test
    void aBurstTheKernelTakesAsTheBacklogStartsBuysAtMostOneGrace() {
      open(1_000);
      send(100_000);
      kernel.tick(10);
      kernel.take(60_000); // in-flight bytes acknowledged: a minute at the floor's rate
      kernel.tick(GRACE.toMillis() - 1);
      assertThat(channel.isOpen()).as("open until one grace after the burst").isTrue();
      kernel.tick(2);
      assertThat(channel.isOpen()).as("the burst is worth one grace, not 60 s").isFalse();
    }

    @Test
    void aReaderAtTheFloorWhoseTakesComeInBurstsWithinAGraceKeepsItsConnection() {
      open(1_000);
      send(200_000);
      for (int burst = 1; burst <= 30; burst++) {
        kernel.tick(GRACE.toMillis() / 2);
        kernel.take(GRACE.toMillis() / 2); // half a grace's worth at the floor, each half grace
      }
      assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void bytesTheKernelTookBeforeTheBacklogAreNotCredited() {
      open(1_000);
      kernel.takeEverything = true;
      send(50_000); // taken at once: may sit unread in the kernel, so no credit
      kernel.takeEverything = false;
      send(1_000);
      kernel.tick(GRACE.toMillis() + 1);
      assertThat(channel.isOpen()).as("50 kB taken before the backlog bought no time").isFalse();
    }

    @Test
    void answersTheKernelTakesWholeStartNoClock() {
      open(1_000);
      kernel.takeEverything = true;
      send(100_000);
      kernel.tick(TimeUnit.HOURS.toMillis(1));
      assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void theWritersPromiseCompletesWhenTheKernelHasTakenTheBytes() {
      open(1_000);
      ChannelFuture written = channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[2_000]));
      kernel.take(1_999);
      assertThat(written.isDone()).isFalse();
      kernel.take(1);
      assertThat(written.isSuccess()).isTrue();
    }

    @Test
    void aRateOfZeroTurnsTheFloorOff() {
      open(0);
      send(100_000);
      kernel.tick(TimeUnit.HOURS.toMillis(1));
      assertThat(channel.isOpen()).isTrue();
    }
  }

  /** The write-stall deadline alone, on a channel with tiny write-buffer watermarks. */
  @Nested
  class WriteStall {
    private EmbeddedChannel stallable() {
      EmbeddedChannel stallable =
          new EmbeddedChannel(new SlowReaderLimits(0, 0, GRACE, STALL, closes));
      stallable.config().setWriteBufferWaterMark(new WriteBufferWaterMark(16, 32));
      return stallable;
    }

    @Test
    void aClientThatKeepsItsConnectionUnwritablePastTheStallDeadlineIsDisconnected() {
      EmbeddedChannel stalled = stallable();
      stalled.write(
          Unpooled.wrappedBuffer(new byte[64])); // queued, not flushed: over the watermark
      assertThat(stalled.isWritable()).isFalse();

      stalled.advanceTimeBy(29, TimeUnit.SECONDS);
      stalled.runScheduledPendingTasks();
      assertThat(stalled.isOpen()).as("open before the deadline").isTrue();
      stalled.advanceTimeBy(2, TimeUnit.SECONDS);
      stalled.runScheduledPendingTasks();
      assertThat(stalled.isOpen()).as("open after the deadline").isFalse();
      assertThat(closed(ConnectionLimit.WRITE_STALL)).isEqualTo(1);
      stalled.finishAndReleaseAll();
    }

    @Test
    void aReaderThatDrainsInTimeStartsTheStallClockOver() {
      EmbeddedChannel reading = stallable();
      for (int i = 0; i < 4; i++) {
        reading.write(Unpooled.wrappedBuffer(new byte[64]));
        reading.advanceTimeBy(20, TimeUnit.SECONDS);
        reading.runScheduledPendingTasks();
        reading.flush(); // the client took it: writable again
        assertThat(reading.isWritable()).isTrue();
      }
      reading.advanceTimeBy(60, TimeUnit.SECONDS);
      reading.runScheduledPendingTasks();
      assertThat(reading.isOpen()).isTrue();
      assertThat(closed(ConnectionLimit.WRITE_STALL)).isZero();
      assertThat(reading.finishAndReleaseAll()).isTrue();
    }
  }

  /** All three at once, as the proxy runs them: one rate and grace, the stall apart. */
  @Nested
  class Together {
    private void open() {
      kernel =
          FullKernel.under(
              new HttpResponseEncoder(), new SlowReaderLimits(1_000, GRACE, STALL, closes));
      channel = kernel.channel();
    }

    @Test
    void aBackloggedReaderUnderTheFloorIsClosedByTheFloorBeforeItsResponseIsDue() {
      open();
      respond(100_000); // the response is due at 110 s; the floor judges from the backlog on
      for (int second = 1; second <= 10; second++) {
        kernel.tick(1_000);
        kernel.take(100);
      }
      kernel.tick(1_001);
      assertThat(channel.isOpen()).isFalse();
      assertThat(closed(ConnectionLimit.RESPONSE_RATE)).isEqualTo(1);
      assertThat(closed(ConnectionLimit.RESPONSE_DEADLINE)).isZero();
    }

    @Test
    void aReaderAtTheFloorIsJudgedByEachLimitAndCutByNone() {
      open();
      for (int response = 0; response < 3; response++) {
        respond(30_000);
        while (kernel.held() > 0) {
          kernel.tick(1_000);
          kernel.take(1_000);
        }
      }
      kernel.tick(TimeUnit.HOURS.toMillis(1));
      assertThat(channel.isOpen()).isTrue();
      for (ConnectionLimit limit : ConnectionLimit.values()) {
        assertThat(closed(limit)).as(limit.tag()).isZero();
      }
    }
  }
}
