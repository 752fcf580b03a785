package io.docshift.read;

import com.github.benmanes.caffeine.cache.Ticker;
import io.docshift.core.config.HedgeConfig;
import io.docshift.core.metrics.HedgeOutcome;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.outcome.Backend;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hedged S3 reads (after Envoy's {@code hedge_on_per_try_timeout}): when S3 has not answered a read
 * within the hedge delay ({@link HedgeDelay}), Cloudinary is asked too, within the hedge budget
 * ({@link HedgeBudget}), and the first answer serves ({@link HedgedRace}). Off, a read is S3's
 * alone, as before.
 *
 * <p>What a hedge counts as: each one is a {@code docshift.read.hedge} by outcome. A read
 * Cloudinary won is Cloudinary's request (served by Cloudinary, no fallback), so it is no S3 fault
 * for auto-revert, nor an S3 success; if S3 then fails after all (an error, or no answer within the
 * first-byte timeout) that failure counts as a fallback would (auto-revert, a repair queued). A
 * read whose S3 answer failed before Cloudinary's is the ordinary fallback.
 */
final class Hedging {
  private static final Hedging OFF = new Hedging(null, null, null, MetricsRecorder.NOOP, null);

  private final HedgeDelay delay;
  private final HedgeBudget budget;
  private final Timer timer;
  private final MetricsRecorder metrics;
  private final Ticker ticker;

  private Hedging(
      HedgeDelay delay, HedgeBudget budget, Timer timer, MetricsRecorder metrics, Ticker ticker) {
    this.delay = delay;
    this.budget = budget;
    this.timer = timer;
    this.metrics = metrics;
    this.ticker = ticker;
  }

  /** No hedging: S3's answer, whatever it is. */
  static Hedging off() {
    return OFF;
  }

  /** As {@code config} says (off unless enabled), timed on {@code timer} and {@code ticker}. */
  static Hedging of(HedgeConfig config, Timer timer, MetricsRecorder metrics, Ticker ticker) {
    if (!config.enabled()) {
      return OFF;
    }
    return new Hedging(
        new HedgeDelay(
            config.delayPercentile(),
            config.delayMedianMultiple(),
            Duration.ofMillis(config.minDelayMillis()),
            Duration.ofMillis(config.maxDelayMillis())),
        new HedgeBudget(config.budgetPercent(), ticker),
        timer,
        metrics,
        ticker);
  }

  /**
   * S3's answer from {@code s3}, or (hedged) Cloudinary's from {@code cloudinary}, whichever
   * succeeds first; fails with S3's failure when S3 fails first. {@code release} frees an answer
   * that does not serve; {@code lostLate} hears of an S3 failure after Cloudinary served.
   */
  <T> CompletableFuture<Served<T>> race(
      Supplier<CompletableFuture<T>> s3,
      SecondaryRead<T> cloudinary,
      Consumer<T> release,
      Consumer<Throwable> lostLate) {
    if (this == OFF) {
      CompletableFuture<Served<T>> served = new CompletableFuture<>();
      s3.get()
          .whenComplete(
              (value, failure) -> {
                if (failure == null) {
                  served.complete(Served.by(Backend.S3, value));
                } else {
                  served.completeExceptionally(failure);
                }
              });
      return served;
    }
    budget.read();
    return new HedgedRace<>(this, cloudinary, release, lostLate).start(s3);
  }

  long now() {
    return ticker.read();
  }

  Timeout afterDelay(Runnable hedge) {
    return timer.newTimeout(t -> hedge.run(), delay.nanos(), TimeUnit.NANOSECONDS);
  }

  void answered(long firstByteNanos) {
    delay.record(firstByteNanos);
  }

  boolean tryHedge() {
    return budget.tryHedge();
  }

  void count(HedgeOutcome outcome) {
    metrics.hedge(outcome);
  }
}
