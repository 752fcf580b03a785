package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.ClassifiedException;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A failed {@link DocumentStore} operation, already classified: callers count {@link #outcome()}
 * and never re-derive it from the cause.
 */
public final class StoreException extends RuntimeException implements ClassifiedException {
  private static final long serialVersionUID = 1L;

  private final Backend backend;
  private final Outcome outcome;
  private final int refusalStatus;
  private final String refusalReason;

  /** Creates an exception with an explicit outcome; {@code cause} may be {@code null}. */
  public StoreException(Backend backend, Outcome outcome, String message, Throwable cause) {
    this(backend, outcome, message, cause, 0, null);
  }

  private StoreException(
      Backend backend,
      Outcome outcome,
      String message,
      Throwable cause,
      int refusalStatus,
      String refusalReason) {
    super(message, cause);
    this.backend = requireNonNull(backend, "backend");
    this.outcome = requireNonNull(outcome, "outcome");
    this.refusalStatus = refusalStatus;
    this.refusalReason = refusalReason;
  }

  /**
   * The backend refused the client's own request (e.g. Cloudinary's 401 for an unsigned URL of an
   * access-controlled document): a {@link Outcome#CLIENT_ERROR}, never the backend's fault, whose
   * status and reason ({@code X-Cld-Error}, may be {@code null}) are relayed to the client as they
   * are.
   */
  public static StoreException refusal(Backend backend, int status, String reason, String message) {
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a refusal is a 4xx status: " + status);
    }
    return new StoreException(backend, Outcome.CLIENT_ERROR, message, null, status, reason);
  }

  /** The status to relay for a {@link #refusal}; empty for every other failure. */
  public OptionalInt refusalStatus() {
    return refusalStatus == 0 ? OptionalInt.empty() : OptionalInt.of(refusalStatus);
  }

  /** The backend's reason for a {@link #refusal} ({@code X-Cld-Error}), when it gave one. */
  public Optional<String> refusalReason() {
    return Optional.ofNullable(refusalReason);
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
