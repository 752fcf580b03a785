package io.docshift.read;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.util.Optional;

/**
 * A read's result together with the store that produced it, so the HTTP layer can say which backend
 * served ({@code X-DocShift-Backend}) and metrics can count it.
 *
 * @param value the metadata or response
 * @param backend the store that answered
 * @param fallbackCause when S3 was tried first and failed before the first byte: its outcome (a
 *     failure mid-body is not known when this is made; see {@code FailoverBody})
 */
public record Served<T>(T value, Backend backend, Optional<Outcome> fallbackCause) {
  /** Validates that no component is null. */
  public Served {
    requireNonNull(value, "value");
    requireNonNull(backend, "backend");
    requireNonNull(fallbackCause, "fallbackCause");
  }

  /** Served directly by {@code backend}, no fallback. */
  public static <T> Served<T> by(Backend backend, T value) {
    return new Served<>(value, backend, Optional.empty());
  }
}
