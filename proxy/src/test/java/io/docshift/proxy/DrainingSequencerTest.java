package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.proxy.pipeline.PipelineSequencer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PipelineSequencer} on {@link PipelineSequencer#DRAIN}: idle connections close at once, a
 * busy one finishes its response (told {@code Connection: close}) and closes after it.
 */
class DrainingSequencerTest {
  private final List<Object> dispatched = new ArrayList<>();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new PipelineSequencer(),
          new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
              dispatched.add(msg);
            }
          });

  @AfterEach
  void release() {
    dispatched.forEach(io.netty.util.ReferenceCountUtil::release);
    channel.finishAndReleaseAll();
  }

  @Test
  void anIdleConnectionClosesAtOnce() {
    channel.pipeline().fireUserEventTriggered(PipelineSequencer.DRAIN);
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aBusyConnectionAnswersWithConnectionCloseAndClosesAfterTheLastContent() {
    channel.writeInbound(get("/in-flight"));
    channel.pipeline().fireUserEventTriggered(PipelineSequencer.DRAIN);
    channel.runPendingTasks();
    assertThat(channel.isOpen()).as("open while its request is in flight").isTrue();

    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    channel.writeOutbound(response);
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    channel.runPendingTasks();
    assertThat(channel.isOpen()).as("open until the last content").isTrue();

    channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(dispatched).hasSize(1);
  }

  @Test
  void aRequestPipelinedBehindTheOneInFlightIsNotStarted() {
    channel.writeInbound(get("/in-flight"), get("/queued"));
    channel.pipeline().fireUserEventTriggered(PipelineSequencer.DRAIN);
    channel.writeOutbound(
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
        LastHttpContent.EMPTY_LAST_CONTENT);
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
    assertThat(dispatched).hasSize(1);
  }

  @Test
  void aResponseStreamedBeforeTheDrainKeepsItsHeadersAndEndsTheConnection() {
    channel.writeInbound(get("/streaming"));
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    channel.writeOutbound(response);
    channel.pipeline().fireUserEventTriggered(PipelineSequencer.DRAIN);
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isTrue();
    assertThat(response.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
    channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
    channel.runPendingTasks();
    assertThat(channel.isOpen()).isFalse();
  }

  private static DefaultFullHttpRequest get(String uri) {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
  }
}
