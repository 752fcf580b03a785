package io.docshift.stores.http;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.store.StoreTrust;
import java.time.Duration;

/**
 * Immutable settings of an {@link UpstreamClient}.
 *
 * @param backend the backend behind the client, blamed in classified failures
 * @param connectTimeout longest wait for a new connection
 * @param responseTimeout longest wait for response headers after the call starts (connect
 *     included), and longest silence of a body DocShift is waiting for (a body paused because the
 *     client reads slowly is not silent)
 * @param maxIdlePerLoop most keep-alive connections kept idle per event loop; more are closed
 * @param keepAlive an idle connection older than this is closed instead of reused
 * @param totalWait longest total time a call may spend waiting on the upstream: for its headers
 *     (connect included) plus every body read it asked for; a store that trickles bytes just fast
 *     enough to never be silent is cut here, while pauses of a slowly reading client do not count
 * @param trust the CAs an {@code https} upstream's certificate must chain to
 * @param maxConnections most connections open at once, split evenly over the event loops (a loop's
 *     connections serve only that loop); a call that finds its loop's share in use waits in line
 *     for one, at most the connect timeout, then fails as a timeout
 */
public record UpstreamSettings(
    Backend backend,
    Duration connectTimeout,
    Duration responseTimeout,
    int maxIdlePerLoop,
    Duration keepAlive,
    Duration totalWait,
    StoreTrust trust,
    int maxConnections) {
  /**
   * A total wait that moves 100 MB (Cloudinary's file cap) at 1 MB/s: long for a healthy store,
   * short enough that a trickling one cannot pin a connection for good.
   */
  public static final Duration DEFAULT_TOTAL_WAIT = Duration.ofSeconds(120);

  /** Validates; errors read {@code name: value (expected: ...)}. */
  public UpstreamSettings {
    requireNonNull(backend, "backend");
    positive("connectTimeout", connectTimeout);
    positive("responseTimeout", responseTimeout);
    positive("keepAlive", keepAlive);
    positive("totalWait", totalWait);
    requireNonNull(trust, "trust");
    if (maxIdlePerLoop < 0) {
      throw new IllegalArgumentException("maxIdlePerLoop: " + maxIdlePerLoop + " (expected: >= 0)");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: > 0)");
    }
  }

  /**
   * Settings with 64 idle connections per loop kept for up to 30 s, a total wait of {@link
   * #DEFAULT_TOTAL_WAIT} (at least the response timeout), no cap on open connections, trusting the
   * JDK's default CAs.
   */
  public static UpstreamSettings of(
      Backend backend, Duration connectTimeout, Duration responseTimeout) {
    Duration total =
        responseTimeout.compareTo(DEFAULT_TOTAL_WAIT) > 0 ? responseTimeout : DEFAULT_TOTAL_WAIT;
    return new UpstreamSettings(
        backend,
        connectTimeout,
        responseTimeout,
        64,
        Duration.ofSeconds(30),
        total,
        StoreTrust.system(),
        Integer.MAX_VALUE);
  }

  /** These settings with another total wait. */
  public UpstreamSettings withTotalWait(Duration newTotalWait) {
    return new UpstreamSettings(
        backend,
        connectTimeout,
        responseTimeout,
        maxIdlePerLoop,
        keepAlive,
        newTotalWait,
        trust,
        maxConnections);
  }

  /** These settings with another trust (a custom CA bundle for the upstream's certificate). */
  public UpstreamSettings withTrust(StoreTrust newTrust) {
    return new UpstreamSettings(
        backend,
        connectTimeout,
        responseTimeout,
        maxIdlePerLoop,
        keepAlive,
        totalWait,
        newTrust,
        maxConnections);
  }

  /** These settings with another cap on open connections. */
  public UpstreamSettings withMaxConnections(int newMaxConnections) {
    return new UpstreamSettings(
        backend,
        connectTimeout,
        responseTimeout,
        maxIdlePerLoop,
        keepAlive,
        totalWait,
        trust,
        newMaxConnections);
  }

  private static void positive(String name, Duration value) {
    requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
