package io.docshift.proxy.pipeline;

import static java.util.Objects.requireNonNull;

import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.traffic.revert.S3Evidence;
import io.netty.channel.ChannelHandler;
import java.time.Duration;

/**
 * The limits, codec, observability and ordering handlers as the proxy's initializer adds them to
 * each connection: the one public way in for the initializer, the handlers themselves are
 * package-private. The initializer passes each limit from its settings, so this package needs
 * nothing of the root's. Every limit close of every connection is counted and logged by the one
 * {@link LimitCloses} a factory holds. Each method returns a new handler (they keep per-connection
 * state) except {@link #connectionErrors()}, which is shared.
 */
public final class PipelineHandlers {
  private final MetricsRecorder metrics;
  private final S3Evidence evidence;
  private final LimitCloses closes;

  /** Handlers counting into {@code metrics}; S3's answers are also told to {@code evidence}. */
  public PipelineHandlers(MetricsRecorder metrics, S3Evidence evidence) {
    this.metrics = requireNonNull(metrics, "metrics");
    this.evidence = requireNonNull(evidence, "evidence");
    this.closes = LimitCloses.of(metrics);
  }

  /** Closes a connection without reads or write progress for {@code timeout}. */
  public ChannelHandler idleTimeout(Duration timeout) {
    return new IdleTimeout(requireNonNull(timeout, "timeout"), closes);
  }

  /** Answers 408 and closes when a request body falls under the byte-rate floor after grace. */
  public ChannelHandler bodyReadDeadline(long minBytesPerSecond, Duration grace) {
    return new BodyReadDeadline(minBytesPerSecond, requireNonNull(grace, "grace"), closes);
  }

  /** Closes a connection whose request headers take longer than {@code timeout}. */
  public ChannelHandler headerReadTimeout(Duration timeout) {
    return new HeaderReadTimeout(requireNonNull(timeout, "timeout"), closes);
  }

  /** HTTP/1.1 decoding with exact verdicts: a longer request line 414, a larger head 431. */
  public ChannelHandler decoder(int maxRequestLineBytes, int maxHeaderBytes) {
    return new StrictRequestDecoder(
        StrictRequestDecoder.config(maxRequestLineBytes, maxHeaderBytes));
  }

  /** Closes a reader under the response byte-rate floor, or unwritable past {@code writeStall}. */
  public ChannelHandler slowReaderLimits(
      long minBytesPerSecond, Duration grace, Duration writeStall) {
    return new SlowReaderLimits(
        minBytesPerSecond,
        requireNonNull(grace, "grace"),
        requireNonNull(writeStall, "writeStall"),
        closes);
  }

  /** Rejects what the decoder let through but the proxy does not serve (431 over the count). */
  public ChannelHandler requestValidator(int maxHeaderCount) {
    return new RequestValidator(maxHeaderCount);
  }

  /** Counts and logs every request once, with one classified outcome. */
  public ChannelHandler requestMetrics() {
    return new RequestMetrics(metrics, evidence, System::nanoTime);
  }

  /** Answers pipelined requests one at a time, in order. */
  public ChannelHandler sequencer() {
    return new PipelineSequencer();
  }

  /** Closes a connection quietly on an exception no handler took (shared by every connection). */
  public ChannelHandler connectionErrors() {
    return ConnectionErrors.INSTANCE;
  }
}
