package io.docshift.proxy.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A socket whose send buffer is full, at the head of an {@code EmbeddedChannel}: it keeps what it
 * is given until {@link #take} says the client acknowledged some, reporting progress as NIO does.
 * With {@link #takeEverything} it is a kernel that swallows whole answers. The channel's clock is
 * frozen: only {@link #tick} moves it, so millisecond bounds hold on a busy machine.
 */
final class FullKernel extends ChannelOutboundHandlerAdapter implements AutoCloseable {
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private EmbeddedChannel channel;
  boolean takeEverything;

  private FullKernel() {}

  /** A channel of {@code handlers} behind a full kernel, its clock frozen. */
  static FullKernel under(ChannelHandler... handlers) {
    FullKernel kernel = new FullKernel();
    kernel.channel = new EmbeddedChannel(kernel);
    kernel.channel.pipeline().addLast(handlers);
    kernel.channel.freezeTime();
    return kernel;
  }

  EmbeddedChannel channel() {
    return channel;
  }

  /** Moves the channel's clock by {@code millis} and runs what fell due. */
  void tick(long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ByteBuf buf = (ByteBuf) msg;
    pending.add(new Pending(buf, promise, buf.readableBytes()));
    if (takeEverything) {
      take(Long.MAX_VALUE);
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    // Nothing reaches the wire until the client reads.
  }

  /** The client acknowledged {@code bytes}: the oldest writes complete, in order. */
  void take(long bytes) {
    long left = bytes;
    while (!pending.isEmpty()) {
      Pending p = pending.peek();
      long now = Math.min(left, p.size - p.done);
      if (now == 0 && p.done < p.size) {
        return;
      }
      p.done += now;
      left -= now;
      if (p.promise instanceof ChannelProgressivePromise) {
        ((ChannelProgressivePromise) p.promise).tryProgress(p.done, p.size);
      }
      if (p.done == p.size) {
        pending.poll();
        p.buf.release();
        p.promise.trySuccess();
      }
    }
  }

  /** Bytes given to the kernel and not yet taken. */
  long held() {
    long held = 0;
    for (Pending p : pending) {
      held += p.size - p.done;
    }
    return held;
  }

  /** Closes the channel, releasing what it and the kernel still hold. */
  @Override
  public void close() {
    channel.finishAndReleaseAll();
    dropAll();
  }

  private void dropAll() {
    for (Pending p : pending) {
      p.buf.release();
      p.promise.tryFailure(new ClosedChannelException());
    }
    pending.clear();
  }

  private static final class Pending {
    final ByteBuf buf;
    final ChannelPromise promise;
    final long size;
    long done;

    Pending(ByteBuf buf, ChannelPromise promise, long size) {
      this.buf = buf;
      this.promise = promise;
      this.size = size;
    }
  }
}
