package io.docshift.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.NoopMetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.proxy.delivery.ClassifiedFullResponse;
import io.docshift.traffic.revert.S3Evidence;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link RequestMetrics} writes one access-log line per request, with the verdict's tags, the
 * status and the latency, and echoes the request id to the client; never the path.
 */
class AccessLogTest {
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
  private final AtomicLong now = new AtomicLong();
  private final List<String> recorded = new ArrayList<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void oneLinePerRequestWithTheClientsRequestIdEchoed() {
    EmbeddedChannel channel =
        new EmbeddedChannel(new RequestMetrics(recorder(), S3Evidence.NONE, now::get));
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, "/demo/image/upload/nurse-4711.pdf");
    request.headers().set("X-Request-Id", "client-id-1");
    channel.writeInbound(request);
    channel.<Object>readInbound();
    now.set(12_345_678);
    channel.writeOutbound(
        new ClassifiedFullResponse(
            HttpResponseStatus.OK,
            new Verdict(Operation.GET, Optional.of(Backend.S3), Outcome.SUCCESS),
            Unpooled.EMPTY_BUFFER));

    HttpResponse response = channel.readOutbound();
    assertThat(response.headers().get("X-Request-Id")).isEqualTo("client-id-1");
    assertThat(recorded).containsExactly("get s3 image success 12345678");
    assertThat(lines.list)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.getMessage()).isEqualTo("request");
              assertThat(fields(line))
                  .containsEntry("request_id", "client-id-1")
                  .containsEntry("operation", "get")
                  .containsEntry("backend", "s3")
                  .containsEntry("outcome", "success")
                  .containsEntry("status", 200)
                  .containsEntry("latency_ms", 12.346);
              assertThat(line.toString() + fields(line)).doesNotContain("nurse-4711");
            });
    channel.finishAndReleaseAll();
  }

  @Test
  void anUnusableClientIdIsReplacedAndRejectionsGetAnIdToo() {
    EmbeddedChannel channel =
        new EmbeddedChannel(new RequestMetrics(recorder(), S3Evidence.NONE, now::get));
    DefaultFullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a");
    request.headers().set("X-Request-Id", "has spaces and \"quotes\"");
    channel.writeInbound(request);
    channel.writeOutbound(
        new ClassifiedFullResponse(
            HttpResponseStatus.OK,
            RequestMetrics.rejected(Outcome.CLIENT_ERROR),
            Unpooled.EMPTY_BUFFER));
    channel.writeInbound(new Rejection(HttpResponseStatus.BAD_REQUEST, "bad"));
    channel.writeOutbound(
        new ClassifiedFullResponse(
            HttpResponseStatus.BAD_REQUEST,
            RequestMetrics.rejected(Outcome.CLIENT_ERROR),
            Unpooled.EMPTY_BUFFER));

    assertThat(lines.list).extracting(line -> fields(line).get("status")).containsExactly(200, 400);
    assertThat(lines.list)
        .allSatisfy(
            line -> {
              assertThat((String) fields(line).get("request_id")).matches("[0-9a-f]{16}");
              assertThat(fields(line)).containsEntry("backend", "none");
            });
    channel.finishAndReleaseAll();
  }

  private MetricsRecorder recorder() {
    return new NoopMetricsRecorder() {
      @Override
      public void request(
          Operation operation,
          Optional<Backend> backend,
          Optional<ResourceType> resourceType,
          Outcome outcome,
          long nanos) {
        recorded.add(
            operation.tag()
                + " "
                + backend.map(Backend::tag).orElse("none")
                + " "
                + resourceType.map(ResourceType::wireName).orElse("none")
                + " "
                + outcome.tag()
                + " "
                + nanos);
      }
    };
  }

  private static Map<String, Object> fields(ILoggingEvent line) {
    Map<String, Object> fields = new TreeMap<>();
    line.getKeyValuePairs().forEach(kv -> fields.put(kv.key, kv.value));
    return fields;
  }
}
