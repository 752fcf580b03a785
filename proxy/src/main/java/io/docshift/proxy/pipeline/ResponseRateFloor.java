package io.docshift.proxy.pipeline;

import io.docshift.core.metrics.ConnectionLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.util.concurrent.PromiseNotifier;
import java.time.Duration;

/**
 * A byte-rate floor on responses (slow read): once the client is the bottleneck, it must keep
 * taking at least {@code minBytesPerSecond}, or the connection is closed. The deadline starts one
 * grace after the backlog starts and every byte taken pushes it out by {@code 1 /
 * minBytesPerSecond}, but never to more than one grace from now (IIS's {@code minBytesPerSecond},
 * nginx's {@code send_timeout} as a rate instead of a gap; a token bucket holding at most one
 * grace). The idle timeout cannot catch a reader that takes a few bytes every few seconds, and the
 * write-stall deadline only one that takes nothing; this bounds a reader by what it has taken.
 *
 * <p>What is measured, and why: Java cannot see what the client has acknowledged (no {@code
 * SIOCOUTQ}, no {@code tcpi_bytes_acked} in NIO), only what the kernel took from Netty, reported
 * byte by byte through progressive write promises. While Netty holds bytes the kernel would not
 * take (a backlog: the socket's send buffer is full), every byte the kernel takes was freed by an
 * acknowledgement, so progress during a backlog is the client's reading, but for what its kernel
 * still buffers unread (see below). The clock therefore starts when a backlog starts, counts what
 * the kernel takes from then on, and stops when Netty has nothing left to hand over. Bytes the
 * kernel took before the backlog are not credited (they may sit unread in its buffer), so a reader
 * cannot buy time with the send buffer.
 *
 * <p>Why the credit is capped at one grace: a backlog often starts on a refusal that lasts only
 * until the acknowledgements of the bytes already in flight arrive (milliseconds on loopback, a
 * round trip elsewhere); the kernel then takes up to its whole buffer again, bytes the client's
 * kernel received but its reader never asked for. Credited in full, that burst (about 63 KiB in
 * front of a 4 KiB receive window, measured) bought a reader taking nothing 7.75 s more at 8 KiB/s,
 * over a minute at the default floor. Capped, a burst is worth at most one grace, while a reader at
 * or above the floor, whose takes come far more often than once a grace, is never short of credit.
 * Before a verdict, the handler offers the kernel what it holds back (see {@link
 * ConnectionTimer#probe}), so the verdict is not misled by how seldom the kernel reports room. An
 * answer that fits whole in the kernel's buffer never makes a backlog: it costs the kernel's
 * memory, not DocShift's, and the idle timeout closes the connection once nothing moves. A rate of
 * 0 turns the floor off.
 *
 * <p>Sits at the head of the pipeline (limits group), so it sees the encoded bytes as they go to
 * the socket. Time comes from the event loop's ticker, so tests move it by hand.
 */
public final class ResponseRateFloor extends ConnectionTimer {
  private final long minBytesPerSecond;
  private final long graceNanos;
  private final LimitCloses closes;
  private ChannelHandlerContext ctx;

  /** Bytes given to the socket and bytes the kernel has taken, both since the connection opened. */
  private long submitted;

  private long taken;

  /**
   * While a backlog lasts: when the client will have fallen behind the floor, at most one grace
   * from the latest take.
   */
  private boolean backlogged;

  private long deadline;

  public ResponseRateFloor(long minBytesPerSecond, Duration grace, LimitCloses closes) {
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
    long size = size(msg);
    if (minBytesPerSecond == 0 || size == 0) {
      context.write(msg, promise);
      return;
    }
    submitted += size;
    ChannelProgressivePromise progress = context.newProgressivePromise();
    progress.addListener(new Taken(size));
    // A void promise cannot be listened to; unvoid() keeps its failure reaching the pipeline.
    PromiseNotifier.cascade(progress, promise.unvoid());
    context.write(msg, progress);
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
    if (!context.channel().isWritable() && submitted > taken) {
      backlogStarted();
    }
    context.fireChannelWritabilityChanged();
  }

  private void backlogStarted() {
    if (backlogged || minBytesPerSecond == 0) {
      return;
    }
    backlogged = true;
    deadline = now() + graceNanos;
    arm(ctx, graceNanos, this::check);
  }

  /** The kernel took {@code bytes}; {@code lost} bytes of a failed write will never go. */
  private void took(long bytes, long lost) {
    taken += bytes;
    submitted -= lost;
    if (backlogged && bytes > 0) {
      long cap = now() + graceNanos;
      long credit = credit(bytes, minBytesPerSecond);
      // Compared as a difference: the ticker's origin is arbitrary, so a sum could wrap.
      deadline = credit >= cap - deadline ? cap : deadline + credit;
    }
    if (backlogged && taken >= submitted) {
      // Netty has handed everything over: the client kept up with the server, nothing to judge.
      backlogged = false;
      cancel();
    }
  }

  private void check() {
    long left = deadline - now();
    if (left <= 0 && backlogged) {
      probe(ctx);
      left = deadline - now();
    }
    if (!backlogged) {
      return;
    }
    if (left > 0) {
      arm(ctx, left, this::check);
      return;
    }
    backlogged = false;
    closes.close(ctx, ConnectionLimit.RESPONSE_RATE);
  }

  private long now() {
    return ctx.executor().ticker().nanoTime();
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf) {
      return ((ByteBuf) msg).readableBytes();
    }
    if (msg instanceof ByteBufHolder) {
      return ((ByteBufHolder) msg).content().readableBytes();
    }
    if (msg instanceof FileRegion) {
      return ((FileRegion) msg).count();
    }
    return 0;
  }

  /**
   * Counts one write's bytes as the kernel takes them: each progress report, then the rest on
   * success (a transport that reports no progress still counts the whole write once).
   */
  private final class Taken implements ChannelProgressiveFutureListener {
    private final long size;
    private long counted;

    Taken(long size) {
      this.size = size;
    }

    @Override
    public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
      long now = Math.min(progress, size);
      if (now > counted) {
        long delta = now - counted;
        counted = now;
        took(delta, 0);
      }
    }

    @Override
    public void operationComplete(ChannelProgressiveFuture future) {
      long rest = size - counted;
      counted = size;
      if (future.isSuccess()) {
        took(rest, 0);
      } else {
        took(0, rest);
      }
    }
  }
}
