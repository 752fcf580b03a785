package io.docshift.proxy.pipeline;

import io.docshift.core.metrics.ConnectionLimit;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A deadline on each response as a whole: a response of {@code N} bytes must be handed to the
 * kernel within {@code grace + N / minBytesPerSecond} of its first write, or the connection is
 * closed. {@code N} is the {@code Content-Length}; a response without one (chunked) earns {@code 1
 * / rate} seconds for each byte written to it, which DocShift writes only while the connection is
 * writable, so a reader that stops also stops its credit.
 *
 * <p>Why, next to {@link ResponseRateFloor}: the floor judges a reader only while the socket's send
 * buffer is full, the only time Java can tell what the client took; it starts no clock while the
 * kernel keeps taking, and it starts over (with a new grace) each time the backlog clears. This
 * deadline needs neither: its clock starts with the response and its budget is fixed by the size,
 * so it bounds every response that does not fit the kernel's buffer whatever the kernel reports. A
 * download at or above the floor's rate always ends within it (it takes at most {@code N / rate}
 * after the grace). An answer that fits whole in the send buffer is handed over at once, so its
 * reader stays bounded by the idle timeout; {@code proxy.socketSendBufferBytes} keeps that buffer
 * small.
 *
 * <p>Sits just after the response encoder, where responses are still {@link HttpResponse} and
 * {@link HttpContent} messages; the last content's write promise says when the kernel has taken the
 * whole response. Responses go out in order (the pipeline sequencer), so only the oldest unfinished
 * one can be late. Time comes from the event loop's ticker, so tests move it by hand. A rate of 0
 * turns the deadline off.
 */
public final class ResponseDeadline extends ConnectionTimer {
  private final long minBytesPerSecond;
  private final long graceNanos;
  private final LimitCloses closes;
  private final ArrayDeque<Response> unfinished = new ArrayDeque<>();
  private ChannelHandlerContext ctx;

  public ResponseDeadline(long minBytesPerSecond, Duration grace, LimitCloses closes) {
    this.minBytesPerSecond = minBytesPerSecond;
    this.graceNanos = grace.toNanos();
    this.closes = closes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
  }

  @Override
  public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
    if (minBytesPerSecond == 0) {
      context.write(msg, promise);
      return;
    }
    if (msg instanceof HttpResponse) {
      started((HttpResponse) msg);
    }
    Response current = unfinished.peekLast();
    if (current != null && msg instanceof HttpContent) {
      current.written += ((HttpContent) msg).content().readableBytes();
    }
    if (current != null && msg instanceof LastHttpContent) {
      // A void promise cannot be listened to; unvoid() keeps its failure reaching the pipeline.
      ChannelPromise listened = promise.unvoid();
      listened.addListener(f -> finished(current));
      context.write(msg, listened);
      return;
    }
    context.write(msg, promise);
  }

  private void started(HttpResponse response) {
    unfinished.add(new Response(now(), declaredLength(response)));
    if (unfinished.size() == 1) {
      check();
    }
  }

  /** The {@code Content-Length}, or -1 when there is none (or it is not a number). */
  private static long declaredLength(HttpResponse response) {
    try {
      return HttpUtil.getContentLength(response, -1L);
    } catch (NumberFormatException e) {
      return -1L;
    }
  }

  /** The kernel took the response's last byte (or its write failed: the connection is going). */
  private void finished(Response response) {
    unfinished.remove(response);
    if (unfinished.isEmpty()) {
      cancel();
    } else {
      check();
    }
  }

  private void check() {
    if (!ctx.channel().isActive()) {
      unfinished.clear(); // closed already: nothing to judge, and no timer to leave behind
      cancel();
      return;
    }
    Response oldest = unfinished.peek();
    if (oldest != null && oldest.deadline() - now() <= 0) {
      probe(ctx);
      oldest = unfinished.peek(); // handing bytes over may have finished it
    }
    if (oldest == null) {
      return;
    }
    long left = oldest.deadline() - now();
    if (left > 0) {
      arm(ctx, left, this::check);
      return;
    }
    unfinished.clear();
    closes.close(ctx, ConnectionLimit.RESPONSE_DEADLINE);
  }

  private long now() {
    return ctx.executor().ticker().nanoTime();
  }

  /** One response on its way: when it started, its declared length, what was written of it. */
  private final class Response {
    private final long start;
    private final long length;
    private long written;

    Response(long start, long length) {
      this.start = start;
      this.length = length;
    }

    long deadline() {
      return rateDeadline(start, graceNanos, Math.max(length, written), minBytesPerSecond);
    }
  }
}
