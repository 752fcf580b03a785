package io.docshift.proxy.pipeline;

import io.docshift.core.metrics.ConnectionLimit;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;

/**
 * Closes a connection whose client keeps it unwritable for longer than the stall deadline: it did
 * not read even the 32 KiB between the write-buffer watermarks (Netty's defaults: 32 and 64 KiB) in
 * that time. The idle timeout cannot catch such a slow reader, since every few bytes it takes count
 * as progress; the watermark already keeps it from costing memory, this keeps it from holding the
 * connection and its store stream for ever. A slow but steady download drains below the low
 * watermark again and again, and each time the clock starts over.
 */
public final class WriteStallDeadline extends ConnectionTimer {
  private final long stallNanos;

  private final LimitCloses closes;

  public WriteStallDeadline(Duration stall, LimitCloses closes) {
    this.stallNanos = stall.toNanos();
    this.closes = closes;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!ctx.channel().isWritable()) {
      if (!armed()) {
        arm(ctx, stallNanos, () -> stalled(ctx));
      }
    } else {
      cancel();
    }
    ctx.fireChannelWritabilityChanged();
  }

  private void stalled(ChannelHandlerContext ctx) {
    if (!ctx.channel().isWritable()) {
      closes.close(ctx, ConnectionLimit.WRITE_STALL);
    }
  }
}
