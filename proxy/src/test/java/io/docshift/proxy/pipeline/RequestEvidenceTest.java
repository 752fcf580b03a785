package io.docshift.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.proxy.delivery.ClassifiedFullResponse;
import io.docshift.traffic.revert.S3Evidence;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestMetrics} hands auto-revert every request whose verdict names S3 (with the body's
 * failure when S3 broke off), and nothing else: Cloudinary's answers and rejections are no
 * evidence.
 */
class RequestEvidenceTest {
  private final AtomicLong now = new AtomicLong();
  private final List<String> told = new ArrayList<>();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new RequestMetrics(MetricsRecorder.NOOP, evidence(), now::get));

  @Test
  void requestsS3AnsweredAreToldWithTheirOutcomeAndLatency() {
    answer(Operation.GET, Backend.S3, Outcome.SUCCESS, 7_000_000);
    answer(Operation.UPLOAD, Backend.S3, Outcome.S3_5XX, 3_000_000);
    answer(Operation.GET, Backend.S3, Outcome.CLIENT_ERROR, 1_000_000);

    assertThat(told).containsExactly("success 7ms", "s3_5xx 3ms", "client_error 1ms");
    channel.finishAndReleaseAll();
  }

  @Test
  void cloudinaryAnswersAndRejectionsAreNotEvidence() {
    answer(Operation.GET, Backend.CLOUDINARY, Outcome.CLOUDINARY_5XX, 1_000_000);
    request();
    channel.writeOutbound(
        new ClassifiedFullResponse(
            HttpResponseStatus.BAD_REQUEST,
            RequestMetrics.rejected(Outcome.CLIENT_ERROR),
            Unpooled.EMPTY_BUFFER));

    assertThat(told).isEmpty();
    channel.finishAndReleaseAll();
  }

  @Test
  void aBodyS3BrokeOffIsToldWithItsFailureWhenTheConnectionCloses() {
    request();
    Verdict verdict = new Verdict(Operation.GET, Optional.of(Backend.S3), Outcome.SUCCESS);
    channel.writeOutbound(new ClassifiedHead(verdict));
    verdict.abort(Outcome.S3_CONNECT);
    now.set(2_000_000);
    channel.close();

    assertThat(told).containsExactly("s3_connect 2ms");
    channel.finishAndReleaseAll();
  }

  private void answer(Operation operation, Backend backend, Outcome outcome, long nanos) {
    request();
    now.addAndGet(nanos);
    channel.writeOutbound(
        new ClassifiedFullResponse(
            HttpResponseStatus.OK,
            new Verdict(operation, Optional.of(backend), outcome),
            Unpooled.EMPTY_BUFFER));
    now.set(0);
  }

  private void request() {
    now.set(0);
    channel.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/demo/raw/upload/a"));
    channel.<Object>readInbound();
  }

  private S3Evidence evidence() {
    return new S3Evidence() {
      @Override
      public void served(Outcome outcome, Duration latency) {
        told.add(outcome.tag() + " " + latency.toMillis() + "ms");
      }

      @Override
      public void fellBack(Outcome cause) {
        told.add("fallback " + cause.tag());
      }

      @Override
      public void failedOver(Outcome cause, FailoverOutcome outcome) {
        told.add("failover " + cause.tag());
      }
    };
  }

  /** A response head carrying its verdict, as the delivery handlers write one before a body. */
  private static final class ClassifiedHead extends DefaultHttpResponse implements Classified {
    private final Verdict verdict;

    ClassifiedHead(Verdict verdict) {
      super(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      this.verdict = verdict;
    }

    @Override
    public Verdict verdict() {
      return verdict;
    }
  }
}
