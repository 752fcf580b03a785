package io.docshift.proxy.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.nio.AbstractNioChannel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A handler with one timer on its connection's event loop, cancelled when the connection closes or
 * the handler leaves the pipeline: the part every deadline of the proxy shares. Duplex so a
 * deadline may watch writes too; the pass-through methods it does not override cost nothing. All
 * methods run on the event loop, so the timer needs no locking.
 */
abstract class ConnectionTimer extends ChannelDuplexHandler {
  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private ScheduledFuture<?> timer;

  /** Whether the timer is set and has not fired yet. */
  final boolean armed() {
    return timer != null;
  }

  /** Sets the timer: {@code task} runs on the loop after {@code delayNanos} unless cancelled. */
  final void arm(ChannelHandlerContext ctx, long delayNanos, Runnable task) {
    cancel();
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  timer = null;
                  task.run();
                },
                delayNanos,
                TimeUnit.NANOSECONDS);
  }

  /**
   * When a transfer under a byte-rate floor must be done: {@code start + grace + bytes / rate}, so
   * each byte moved pushes the deadline out by {@code 1 / rate} seconds.
   */
  static long rateDeadline(long start, long graceNanos, long bytes, long bytesPerSecond) {
    return start + graceNanos + credit(bytes, bytesPerSecond);
  }

  /** The time {@code bytes} earn at {@code bytesPerSecond}, in nanoseconds. */
  static long credit(long bytes, long bytesPerSecond) {
    // Saturates rather than overflows: 9.2 GB at 1 byte/s would otherwise wrap.
    long credit =
        bytes > Long.MAX_VALUE / NANOS_PER_SECOND
            ? Long.MAX_VALUE / 4
            : bytes * NANOS_PER_SECOND / bytesPerSecond;
    return Math.min(credit, Long.MAX_VALUE / 4);
  }

  /**
   * Hands the kernel what it will take now. While Netty waits for the socket to become writable
   * again, the kernel says so only once its free space reaches half of what it holds (Linux's
   * write-space wake-up), which on a large buffer is hundreds of kilobytes; a write attempt takes
   * whatever room the client's acknowledgements made, so the verdict rests on the client's actual
   * progress.
   */
  static void probe(ChannelHandlerContext ctx) {
    Channel.Unsafe unsafe = ctx.channel().unsafe();
    if (unsafe instanceof AbstractNioChannel.NioUnsafe) {
      ((AbstractNioChannel.NioUnsafe) unsafe).forceFlush();
    }
  }

  /** The event loop's time, which tests move by hand. */
  static long now(ChannelHandlerContext ctx) {
    return ctx.executor().ticker().nanoTime();
  }

  /** Clears the timer, if set. */
  final void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }
}
