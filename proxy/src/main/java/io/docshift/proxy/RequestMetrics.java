package io.docshift.proxy;

import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.outcome.Outcome;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Counts every request once, with the {@link Verdict} its response carries and the time from its
 * arrival to the last byte handed to the socket. Requests are answered in order (see {@link
 * PipelineSequencer}), so arrival times queue in order too. A response cut mid-body is counted when
 * the connection closes: with the body's failure, or as a client error when the client left.
 */
final class RequestMetrics extends ChannelDuplexHandler {
  private final MetricsRecorder metrics;
  private final LongSupplier nanoTime;
  private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
  private Verdict current;

  RequestMetrics(MetricsRecorder metrics, LongSupplier nanoTime) {
    this.metrics = metrics;
    this.nanoTime = nanoTime;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest || msg instanceof Rejection) {
      arrivals.add(nanoTime.getAsLong());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof Classified) {
      current = ((Classified) msg).verdict();
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
    Long arrived = arrivals.poll();
    long nanos = arrived == null ? 0 : nanoTime.getAsLong() - arrived;
    Operation operation = verdict.operation();
    metrics.request(operation, verdict.backend(), verdict.outcome(), nanos);
  }

  static Verdict rejected(Outcome outcome) {
    return new Verdict(Operation.REJECT, Optional.empty(), outcome);
  }
}
