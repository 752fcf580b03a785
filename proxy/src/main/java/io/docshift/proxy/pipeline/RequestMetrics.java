package io.docshift.proxy.pipeline;

import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.traffic.revert.S3Evidence;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Counts every request once, with the {@link Verdict} its response carries and the time from its
 * arrival to the last byte handed to the socket, and writes its {@link AccessLog} line. Requests
 * are answered in order (see {@link PipelineSequencer}), so arrivals queue in order too. Each
 * response carries its request's id in {@code X-Request-Id}. A response cut mid-body is counted
 * when the connection closes: with the body's failure, or as a client error when the client left. A
 * request S3 answered is also S3's evidence for auto-revert, whatever the write or read behind it.
 */
public final class RequestMetrics extends ChannelDuplexHandler {
  private record Arrival(long nanos, String requestId, Optional<ResourceType> resourceType) {}

  private final MetricsRecorder metrics;
  private final S3Evidence evidence;
  private final LongSupplier nanoTime;
  private final ArrayDeque<Arrival> arrivals = new ArrayDeque<>();
  private Verdict current;
  private int status;

  RequestMetrics(MetricsRecorder metrics, S3Evidence evidence, LongSupplier nanoTime) {
    this.metrics = metrics;
    this.evidence = evidence;
    this.nanoTime = nanoTime;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      arrivals.add(
          new Arrival(
              nanoTime.getAsLong(),
              AccessLog.requestId(request.headers()),
              ResourceType.inRequestTarget(request.uri())));
    } else if (msg instanceof Rejection) {
      arrivals.add(new Arrival(nanoTime.getAsLong(), AccessLog.newId(), Optional.empty()));
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof Classified) {
      current = ((Classified) msg).verdict();
      if (msg instanceof HttpResponse response) {
        status = response.status().code();
        Arrival arrival = arrivals.peek();
        if (arrival != null) {
          response.headers().set(AccessLog.REQUEST_ID, arrival.requestId());
        }
      }
    }
    if (msg instanceof LastHttpContent && current != null) {
      record(current);
      current = null;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null) {
      if (!current.aborted()) {
        current.abort(Outcome.CLIENT_ERROR);
      }
      record(current);
      current = null;
    }
    arrivals.clear();
    ctx.fireChannelInactive();
  }

  private void record(Verdict verdict) {
    Arrival arrived = arrivals.poll();
    long nanos = arrived == null ? 0 : nanoTime.getAsLong() - arrived.nanos();
    Operation operation = verdict.operation();
    Optional<ResourceType> resourceType =
        arrived == null ? Optional.empty() : arrived.resourceType();
    metrics.request(operation, verdict.backend(), resourceType, verdict.outcome(), nanos);
    if (verdict.backend().orElse(null) == Backend.S3) {
      evidence.served(verdict.outcome(), Duration.ofNanos(nanos));
    }
    AccessLog.log(arrived == null ? "-" : arrived.requestId(), verdict, status, nanos);
  }

  public static Verdict rejected(Outcome outcome) {
    return new Verdict(Operation.REJECT, Optional.empty(), outcome);
  }
}
