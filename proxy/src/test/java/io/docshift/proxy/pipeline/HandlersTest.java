package io.docshift.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The small handlers on their own, on an {@link EmbeddedChannel}. */
class HandlersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LimitCloses closes = LimitCloses.of(new MicrometerMetricsRecorder(registry));

  private double closed(ConnectionLimit limit) {
    return registry
        .counter(MicrometerMetricsRecorder.CONNECTIONS_CLOSED, "reason", limit.tag())
        .count();
  }

  private static EmbeddedChannel codec() {
    HttpDecoderConfig config = StrictRequestDecoder.config(256, 512);
    return new EmbeddedChannel(new StrictRequestDecoder(config), new RequestValidator(100));
  }

  private static Object decode(EmbeddedChannel channel, String request) {
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
    return channel.readInbound();
  }

  @Test
  void validRequestsPassWithTheirBodiesForTheUploadApi() {
    EmbeddedChannel channel = codec();
    Object msg = decode(channel, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    assertThat(msg).isInstanceOf(HttpRequest.class);
    io.netty.handler.codec.http.HttpContent body = channel.readInbound();
    try {
      assertThat(body.content().toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
      assertThat(body).isInstanceOf(io.netty.handler.codec.http.LastHttpContent.class);
    } finally {
      body.release();
    }
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void foldedHeadersAreRejectedEvenWhenSplitAcrossReads() {
    EmbeddedChannel channel = codec();
    channel.writeInbound(
        Unpooled.copiedBuffer("GET /a HTTP/1.1\r\nX-A: one\r\n", StandardCharsets.US_ASCII));
    Object msg = decode(channel, " two\r\n\r\n");
    assertThat(msg).isEqualTo(new Rejection(HttpResponseStatus.BAD_REQUEST, "Folded header line"));
    channel.finishAndReleaseAll();
  }

  @Test
  void decoderLimitsMapToExactStatuses() {
    EmbeddedChannel longLine = codec();
    assertThat(decode(longLine, "GET /" + "a".repeat(400) + " HTTP/1.1\r\n\r\n"))
        .extracting(m -> ((Rejection) m).status())
        .isEqualTo(HttpResponseStatus.REQUEST_URI_TOO_LONG);
    longLine.finishAndReleaseAll();
    EmbeddedChannel bigHeaders = codec();
    assertThat(decode(bigHeaders, "GET / HTTP/1.1\r\nX: " + "b".repeat(600) + "\r\n\r\n"))
        .extracting(m -> ((Rejection) m).status())
        .isEqualTo(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
    bigHeaders.finishAndReleaseAll();
  }

  @Test
  void theSequencerHoldsTheNextRequestUntilTheResponseEnds() {
    List<Object> seen = new ArrayList<>();
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new PipelineSequencer(),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
              }
            });
    HttpRequest first = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/1");
    HttpRequest second = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/2");
    channel.writeInbound(first, second);
    assertThat(seen).containsExactly(first);
    channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
    channel.runPendingTasks();
    assertThat(seen).containsExactly(first, second);
    ((DefaultFullHttpRequest) first).release();
    ((DefaultFullHttpRequest) second).release();
    channel.finishAndReleaseAll();
  }

  @Test
  void theHeaderTimerClosesASlowRequestButNotAQuietConnection() {
    EmbeddedChannel channel =
        new EmbeddedChannel(new HeaderReadTimeout(Duration.ofSeconds(1), closes));
    channel.advanceTimeBy(5, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isActive()).isTrue();
    channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));
    channel.advanceTimeBy(2, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.isActive()).isFalse();
    assertThat(closed(ConnectionLimit.HEADER_DEADLINE)).isEqualTo(1);
    channel.finishAndReleaseAll();
  }

  @Test
  void anUnhandledExceptionClosesTheConnectionInsteadOfReachingThePipelineTail() {
    EmbeddedChannel reset = new EmbeddedChannel(ConnectionErrors.INSTANCE);
    reset.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
    EmbeddedChannel broken = new EmbeddedChannel(ConnectionErrors.INSTANCE);
    broken.pipeline().fireExceptionCaught(new IllegalStateException("secret-bearing message"));

    assertThat(reset.isOpen()).isFalse();
    assertThat(broken.isOpen()).isFalse();
    reset.checkException(); // nothing reached the tail: EmbeddedChannel would rethrow it here
    broken.checkException();
    assertThat(reset.finishAndReleaseAll()).isFalse();
    assertThat(broken.finishAndReleaseAll()).isFalse();
  }
}
