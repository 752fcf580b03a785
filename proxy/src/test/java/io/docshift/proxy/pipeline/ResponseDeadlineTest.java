package io.docshift.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
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
import org.junit.jupiter.api.Test;

/**
 * The per-response deadline, on the event loop's hand-moved clock, behind the real response encoder
 * and a fake socket that takes bytes only when the test says the client read them.
 */
class ResponseDeadlineTest {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private FullKernel kernel;
  private EmbeddedChannel channel;

  private void open(long minBytesPerSecond) {
    LimitCloses closes = LimitCloses.of(new MicrometerMetricsRecorder(registry));
    kernel =
        FullKernel.under(
            new HttpResponseEncoder(), new ResponseDeadline(minBytesPerSecond, GRACE, closes));
    channel = kernel.channel();
  }

  @AfterEach
  void release() {
    kernel.close();
  }

  private double closedByDeadline() {
    return registry
        .counter(
            MicrometerMetricsRecorder.CONNECTIONS_CLOSED,
            "reason",
            ConnectionLimit.RESPONSE_DEADLINE.tag())
        .count();
  }

  /** A whole response with a Content-Length, written at once. */
  private void respond(int bytes) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes);
    channel.write(head);
    channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes])));
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
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
    assertThat(closedByDeadline()).isEqualTo(1);
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
    assertThat(closedByDeadline()).isZero();
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
