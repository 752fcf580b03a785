package io.docshift.core.store.http;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
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
 */
public record UpstreamSettings(
    Backend backend,
    Duration connectTimeout,
    Duration responseTimeout,
    int maxIdlePerLoop,
    Duration keepAlive) {
  /** Validates; errors read {@code name: value (expected: ...)}. */
  public UpstreamSettings {
    requireNonNull(backend, "backend");
    positive("connectTimeout", connectTimeout);
    positive("responseTimeout", responseTimeout);
    positive("keepAlive", keepAlive);
    if (maxIdlePerLoop < 0) {
      throw new IllegalArgumentException("maxIdlePerLoop: " + maxIdlePerLoop + " (expected: >= 0)");
    }
  }

  /** Settings with 64 idle connections per loop kept for up to 30 s. */
  public static UpstreamSettings of(
      Backend backend, Duration connectTimeout, Duration responseTimeout) {
    return new UpstreamSettings(
        backend, connectTimeout, responseTimeout, 64, Duration.ofSeconds(30));
  }

  private static void positive(String name, Duration value) {
    requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
    }
  }
}
