package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.ClassifiedException;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;

/**
 * A failed {@link DocumentStore} operation, already classified: callers count {@link #outcome()}
 * and never re-derive it from the cause.
 */
public final class StoreException extends RuntimeException implements ClassifiedException {
  private static final long serialVersionUID = 1L;

  private final Backend backend;
  private final Outcome outcome;

  /** Creates an exception with an explicit outcome; {@code cause} may be {@code null}. */
  public StoreException(Backend backend, Outcome outcome, String message, Throwable cause) {
    super(message, cause);
    this.backend = requireNonNull(backend, "backend");
    this.outcome = requireNonNull(outcome, "outcome");
  }

  /**
   * Wraps a failure of {@code operation} on {@code backend}, classifying it with {@link
   * OutcomeClassifier}; a {@code StoreException} (also inside future wrappers) is returned as is.
   */
  public static StoreException wrap(Backend backend, String operation, Object what, Throwable t) {
    requireNonNull(t, "t");
    Throwable cause = t;
    while (cause.getCause() != null
        && !(cause instanceof StoreException)
        && (cause instanceof java.util.concurrent.CompletionException
            || cause instanceof java.util.concurrent.ExecutionException)) {
      cause = cause.getCause();
    }
    if (cause instanceof StoreException) {
      return (StoreException) cause;
    }
    Outcome outcome = OutcomeClassifier.classify(backend, cause);
    return new StoreException(
        backend,
        outcome,
        backend.tag() + " " + operation + " " + what + ": " + outcome.tag() + ": " + cause,
        cause);
  }

  /** The backend the operation went to. */
  public Backend backend() {
    return backend;
  }

  @Override
  public Outcome outcome() {
    return outcome;
  }
}
