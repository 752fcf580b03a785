package io.docshift.proxy.pipeline;

import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelPromise;

/**
 * The one listener of a write that {@link SlowReaderLimits} watches: counts the write's bytes as
 * the kernel takes them (each progress report, then the rest on success; a transport that reports
 * no progress still counts the whole write once), ends its response when it is the last part, then
 * completes the writer's promise, in that order, as the separate handlers' chained promises did.
 */
final class Written implements ChannelProgressiveFutureListener {
  private final SlowReaderLimits limits;
  private final long size;
  private final SlowReaderLimits.Response last;
  private final ChannelPromise writer;
  private long counted;

  /**
   * @param size the write's bytes
   * @param last the response this write ends, or null
   * @param writer the writer's promise (maybe void), completed after the bookkeeping
   */
  Written(
      SlowReaderLimits limits, long size, SlowReaderLimits.Response last, ChannelPromise writer) {
    this.limits = limits;
    this.size = size;
    this.last = last;
    this.writer = writer;
  }

  @Override
  public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
    long now = Math.min(progress, size);
    if (now > counted) {
      long delta = now - counted;
      counted = now;
      limits.took(delta, 0);
    }
  }

  @Override
  public void operationComplete(ChannelProgressiveFuture future) {
    long rest = size - counted;
    counted = size;
    if (future.isSuccess()) {
      limits.took(rest, 0);
    } else {
      limits.took(0, rest);
    }
    if (last != null) {
      limits.finished(last);
    }
    // A void promise ignores success and fires a failure down the pipeline, as unvoid() would.
    if (future.isSuccess()) {
      writer.trySuccess();
    } else {
      writer.tryFailure(future.cause());
    }
  }
}
