package io.docshift.proxy.pipeline;

import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.MetricsRecorder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every limit of the proxy reports the connection it closes: one {@code
 * docshift.proxy.connections.closed{reason}} count each, and a WARN line at most once per {@code
 * logEvery}, naming the limit and the client's address and how many more were closed since the
 * previous line. Under a slow-client attack thousands of connections close a minute; one line each
 * would flood the log, none would leave an operator guessing why clients see closed connections.
 * Nothing of the request is logged (paths carry public ids). Shared by every connection of a
 * listener and called from any event loop, hence the atomics; time is injected for tests.
 */
final class LimitCloses {
  private static final Logger LOG = LoggerFactory.getLogger(LimitCloses.class);
  private static final Set<ConnectionLimit> RESET =
      EnumSet.of(
          ConnectionLimit.WRITE_STALL,
          ConnectionLimit.RESPONSE_RATE,
          ConnectionLimit.RESPONSE_DEADLINE);

  private final MetricsRecorder metrics;
  private final LongSupplier nanoTime;
  private final long everyNanos;
  private final AtomicLong nextLineAt;
  private final LongAdder unlogged = new LongAdder();

  LimitCloses(MetricsRecorder metrics, LongSupplier nanoTime, Duration logEvery) {
    this.metrics = metrics;
    this.nanoTime = nanoTime;
    this.everyNanos = logEvery.toNanos();
    this.nextLineAt = new AtomicLong(nanoTime.getAsLong());
  }

  /** Reports the connection, once per ten seconds in the log. */
  static LimitCloses of(MetricsRecorder metrics) {
    return new LimitCloses(metrics, System::nanoTime, Duration.ofSeconds(10));
  }

  /**
   * Reports that {@code limit} ends the connection, then closes it. A limit that judged a reader
   * (write stall, response rate, response deadline) resets it instead, as nginx's {@code
   * reset_timedout_connection} does: with {@code SO_LINGER} 0 the kernel drops what it still holds
   * for the client and sends RST. A plain close would leave an orphaned socket that goes on sending
   * its send buffer at the slow reader's pace, for minutes, holding the kernel's memory after
   * DocShift let go. The other limits close with FIN: the client was sending, nothing waits for it.
   */
  void close(ChannelHandlerContext ctx, ConnectionLimit limit) {
    report(limit, ctx.channel().remoteAddress());
    if (RESET.contains(limit)) {
      ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
    }
    ctx.close();
  }

  /** Reports that {@code limit} ends the connection; the caller closes it (after an answer). */
  void report(ConnectionLimit limit, SocketAddress peer) {
    metrics.connectionClosed(limit);
    long now = nanoTime.getAsLong();
    long next = nextLineAt.get();
    if (now - next < 0 || !nextLineAt.compareAndSet(next, now + everyNanos)) {
      unlogged.increment();
      return;
    }
    LOG.warn(
        "closed a client connection from {}: {} limit ({} more closed by limits since the last"
            + " line)",
        host(peer),
        limit.tag(),
        unlogged.sumThenReset());
  }

  private static String host(SocketAddress peer) {
    return peer instanceof InetSocketAddress
        ? ((InetSocketAddress) peer).getHostString()
        : String.valueOf(peer);
  }
}
