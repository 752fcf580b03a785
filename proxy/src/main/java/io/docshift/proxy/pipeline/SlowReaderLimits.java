package io.docshift.proxy.pipeline;

import io.docshift.core.metrics.ConnectionLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The three limits on a client that reads its responses too slowly, kept by one handler with one
 * timer and at most one listener per write, since every response write passes through them. Each
 * closes the connection with its own reason (a reset, see {@link LimitCloses}):
 *
 * <ul>
 *   <li><b>Rate floor</b> ({@link ConnectionLimit#RESPONSE_RATE}): once the client is the
 *       bottleneck it must keep taking {@code minBytesPerSecond}. The clock starts one grace after
 *       a backlog starts (Netty holds bytes the kernel would not take: its send buffer is full),
 *       every byte taken pushes it out by {@code 1 / rate} but never past one grace from that take
 *       (a token bucket holding one grace, IIS's {@code minBytesPerSecond}), and it stops when
 *       Netty has handed everything over. Java sees only what the kernel took from Netty
 *       (progressive write promises); during a backlog every byte it takes was freed by the
 *       client's acknowledgement. Bytes taken before the backlog are not credited (they may sit
 *       unread in the kernel), and the cap keeps the burst taken as a backlog starts (about 63 KiB
 *       in front of a 4 KiB receive window, measured) from buying more than one grace.
 *   <li><b>Response deadline</b> ({@link ConnectionLimit#RESPONSE_DEADLINE}): a response of {@code
 *       N} bytes must be handed to the kernel within {@code grace + N / rate} of its first write
 *       ({@code N} is its {@code Content-Length}; without one, each byte written earns {@code 1 /
 *       rate}). It needs no backlog, so it bounds every response that does not fit the kernel's
 *       buffer; a download at or above the floor always ends within it. Responses go out in order
 *       (the pipeline sequencer), so only the oldest unfinished one can be late.
 *   <li><b>Write stall</b> ({@link ConnectionLimit#WRITE_STALL}): the connection may not stay
 *       unwritable (over the write-buffer high watermark) for longer than {@code stall}; each
 *       return under the low watermark starts the clock over.
 * </ul>
 *
 * <p>An answer that fits whole in the kernel's buffer meets its deadline at once; its reader stays
 * bounded by the idle timeout ({@code proxy.socketSendBufferBytes} keeps that buffer small). Before
 * a verdict on the floor or the deadline the kernel is offered what Netty holds back ({@link
 * ConnectionTimer#probe}), so the verdict rests on the client's actual progress. The timer is set
 * lazily: moved earlier when a limit needs that, never cancelled when a response ends, and on
 * firing it judges what is due and sets itself for what is left (about one timer per grace on a
 * keep-alive connection, not one per response).
 *
 * <p>Sits just after the response encoder (responses are still {@link HttpResponse} and {@link
 * HttpContent} messages, and the encoder passes a content's promise on to its bytes), and counts
 * content bytes. Time is the event loop's ticker, so tests move it by hand. A rate of 0 turns the
 * floor and the deadline off.
 */
final class SlowReaderLimits extends ConnectionTimer {
  private final long floorRate;
  private final long deadlineRate;
  private final long graceNanos;
  private final long stallNanos;
  private final LimitCloses closes;
  private final ArrayDeque<Response> unfinished = new ArrayDeque<>();
  private ChannelHandlerContext ctx;

  /** Content bytes given on and taken by the kernel, both since the connection opened. */
  private long submitted;

  private long taken;

  /** While a backlog lasts: when the client will have fallen behind the floor. */
  private boolean backlogged;

  private long floorDue;

  /** While the connection is unwritable: since when. */
  private boolean unwritable;

  private long unwritableSince;

  /** When the timer fires, while {@link #armed()}. */
  private long wakeAt;

  /** The proxy's limits: the floor and the deadline share their rate and grace. */
  SlowReaderLimits(long minBytesPerSecond, Duration grace, Duration stall, LimitCloses closes) {
    this(minBytesPerSecond, minBytesPerSecond, grace, stall, closes);
  }

  /** Floor and deadline rates apart (0 turns one off), for tests that judge one limit alone. */
  SlowReaderLimits(
      long floorRate, long deadlineRate, Duration grace, Duration stall, LimitCloses closes) {
    this.floorRate = floorRate;
    this.deadlineRate = deadlineRate;
    this.graceNanos = grace.toNanos();
    this.stallNanos = stall.toNanos();
    this.closes = closes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
  }

  @Override
  public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
    Response last = deadlineRate > 0 ? responsePart(msg) : null;
    long size = floorRate > 0 ? size(msg) : 0;
    if (size > 0) {
      submitted += size;
      ChannelProgressivePromise progress = context.newProgressivePromise();
      progress.addListener(new Written(this, size, last, promise));
      context.write(msg, progress);
    } else if (last != null) {
      // A void promise cannot be listened to; unvoid() keeps its failure reaching the pipeline.
      ChannelPromise listened = promise.unvoid();
      listened.addListener(f -> finished(last));
      context.write(msg, listened);
    } else {
      context.write(msg, promise);
    }
  }

  /** Books a response part for the deadline; returns its response when this part is its last. */
  private Response responsePart(Object msg) {
    if (msg instanceof HttpResponse) {
      unfinished.add(new Response(now(ctx), declaredLength((HttpResponse) msg)));
      if (unfinished.size() == 1) {
        reschedule();
      }
    }
    Response current = unfinished.peekLast();
    if (current != null && msg instanceof HttpContent) {
      current.written += ((HttpContent) msg).content().readableBytes();
    }
    return current != null && msg instanceof LastHttpContent ? current : null;
  }

  @Override
  public void flush(ChannelHandlerContext context) {
    context.flush();
    if (submitted > taken) {
      backlogStarted();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    if (context.channel().isWritable()) {
      unwritable = false;
    } else {
      if (submitted > taken) {
        backlogStarted();
      }
      if (!unwritable) {
        unwritable = true;
        unwritableSince = now(ctx);
        reschedule();
      }
    }
    context.fireChannelWritabilityChanged();
  }

  private void backlogStarted() {
    if (backlogged || floorRate == 0) {
      return;
    }
    backlogged = true;
    floorDue = now(ctx) + graceNanos;
    reschedule();
  }

  /** The kernel took {@code bytes}; {@code lost} bytes of a failed write will never go. */
  void took(long bytes, long lost) {
    taken += bytes;
    submitted -= lost;
    if (backlogged && bytes > 0) {
      long cap = now(ctx) + graceNanos;
      long credit = credit(bytes, floorRate);
      // Compared as a difference: the ticker's origin is arbitrary, so a sum could wrap.
      floorDue = credit >= cap - floorDue ? cap : floorDue + credit;
    }
    if (backlogged && taken >= submitted) {
      backlogged = false; // Netty has handed everything over: the client kept up
    }
  }

  /** The kernel took the response's last byte (or its write failed: the connection is going). */
  void finished(Response response) {
    boolean wasOldest = unfinished.peek() == response;
    unfinished.remove(response);
    if (wasOldest && !unfinished.isEmpty()) {
      reschedule(); // the next response is judged now, and may be late already
    }
  }

  /** Judges at once what is due now, or moves the timer earlier if a limit needs that. */
  private void reschedule() {
    long due = nextDue();
    if (due == Long.MAX_VALUE) {
      return;
    }
    if (due - now(ctx) <= 0) {
      check();
    } else if (!armed() || due - wakeAt < 0) {
      arm(due);
    }
  }

  private void arm(long due) {
    wakeAt = due;
    arm(ctx, due - now(ctx), this::check);
  }

  /** The earliest time a limit is due, or {@code Long.MAX_VALUE} when no clock runs. */
  private long nextDue() {
    Response oldest = unfinished.peek();
    long due = oldest != null ? oldest.deadline() : Long.MAX_VALUE;
    due = backlogged ? earlier(due, floorDue) : due;
    return unwritable ? earlier(due, unwritableSince + stallNanos) : due;
  }

  /** Compared as a difference: the ticker's origin is arbitrary, so times may wrap. */
  private static long earlier(long due, long other) {
    return due == Long.MAX_VALUE || other - due < 0 ? other : due;
  }

  private void check() {
    if (!ctx.channel().isActive()) {
      unfinished.clear(); // closed already: nothing to judge, and no timer to leave behind
      backlogged = false;
      return;
    }
    ConnectionLimit verdict = verdict();
    if (verdict != null) {
      unfinished.clear();
      backlogged = false;
      closes.close(ctx, verdict);
      return;
    }
    long due = nextDue();
    if (due != Long.MAX_VALUE) {
      arm(due);
    }
  }

  /** The limit the client is past now, if any, after offering the kernel what is held back. */
  private ConnectionLimit verdict() {
    // The stall is judged on writability alone, as it stands: a probe would not change it.
    if (unwritable && unwritableSince + stallNanos - now(ctx) <= 0) {
      if (!ctx.channel().isWritable()) {
        return ConnectionLimit.WRITE_STALL;
      }
      unwritable = false; // writable again, its event still on the way
    }
    if (!floorDue() && !deadlineDue()) {
      return null;
    }
    probe(ctx); // handing bytes over may end the backlog or finish the oldest response
    if (floorDue()) {
      return ConnectionLimit.RESPONSE_RATE;
    }
    return deadlineDue() ? ConnectionLimit.RESPONSE_DEADLINE : null;
  }

  private boolean floorDue() {
    return backlogged && floorDue - now(ctx) <= 0;
  }

  private boolean deadlineDue() {
    Response oldest = unfinished.peek();
    return oldest != null && oldest.deadline() - now(ctx) <= 0;
  }

  /** The {@code Content-Length}, or -1 when there is none (or it is not a number). */
  private static long declaredLength(HttpResponse response) {
    try {
      return HttpUtil.getContentLength(response, -1L);
    } catch (NumberFormatException e) {
      return -1L;
    }
  }

  private static long size(Object msg) {
    Object bytes = msg instanceof ByteBufHolder ? ((ByteBufHolder) msg).content() : msg;
    if (bytes instanceof ByteBuf) {
      return ((ByteBuf) bytes).readableBytes();
    }
    return bytes instanceof FileRegion ? ((FileRegion) bytes).count() : 0;
  }

  /** One response on its way: when it started, its declared length, what was written of it. */
  final class Response {
    private final long start;
    private final long length;
    private long written;

    Response(long start, long length) {
      this.start = start;
      this.length = length;
    }

    long deadline() {
      return rateDeadline(start, graceNanos, Math.max(length, written), deadlineRate);
    }
  }
}
