package io.docshift.core.traffic;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Caches a slow {@link TrafficStateSource} (one backed by a database) so requests never wait for
 * it: the value is refreshed in the background on {@code executor} once it is older than half of
 * {@code maxStaleness}, and never served older than {@code maxStaleness} (then the reading request
 * loads it). When loading fails the last known state is served, so a database outage freezes the
 * dials instead of failing reads. Time comes from the injected {@link Ticker}.
 */
public final class CachedTrafficState implements TrafficStateSource {
  private final LoadingCache<Boolean, TrafficState> cache;
  private final AtomicReference<TrafficState> lastKnown;

  private CachedTrafficState(
      TrafficStateSource delegate, Duration maxStaleness, Executor executor, Ticker ticker) {
    this.lastKnown = new AtomicReference<>(delegate.current());
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(1)
            .ticker(ticker)
            .executor(executor)
            .expireAfterWrite(maxStaleness)
            .refreshAfterWrite(maxStaleness.dividedBy(2))
            .build(
                unused -> {
                  TrafficState state = delegate.current();
                  lastKnown.set(state);
                  return state;
                });
    cache.put(Boolean.TRUE, lastKnown.get());
  }

  /**
   * Wraps {@code delegate}; reads it once now, so a source that cannot be read fails fast here.
   *
   * @param maxStaleness oldest value served, between 2 ms and 1 s (the contract: at most 1 s stale)
   */
  public static CachedTrafficState of(
      TrafficStateSource delegate, Duration maxStaleness, Executor executor, Ticker ticker) {
    requireNonNull(delegate, "delegate");
    requireNonNull(maxStaleness, "maxStaleness");
    requireNonNull(executor, "executor");
    requireNonNull(ticker, "ticker");
    if (maxStaleness.toMillis() < 2 || maxStaleness.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException(
          "maxStaleness: " + maxStaleness + " (expected: 2 ms .. 1 s)");
    }
    return new CachedTrafficState(delegate, maxStaleness, executor, ticker);
  }

  @Override
  public TrafficState current() {
    try {
      return cache.get(Boolean.TRUE);
    } catch (RuntimeException e) {
      return lastKnown.get();
    }
  }
}
