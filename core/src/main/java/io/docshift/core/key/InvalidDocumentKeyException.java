package io.docshift.core.key;

import static java.util.Objects.requireNonNull;

/**
 * A delivery path, upload parameter set or key component that does not name a document. The message
 * says what was wrong and is safe to log: offending input is escaped and truncated.
 */
public final class InvalidDocumentKeyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why the input was rejected, so a caller can pick a status or a pass-through. */
  public enum Reason {
    /** Not a well-formed, canonical path or id (traversal, empty segment, bad escape, ...). */
    MALFORMED,
    /** Well formed but not a document DocShift stores (unknown resource type, fetch type, ...). */
    UNSUPPORTED,
    /** Longer than the limits DocShift accepts. */
    TOO_LONG
  }

  private final Reason reason;

  /** Creates the exception; {@code message} must already be safe to log. */
  public InvalidDocumentKeyException(Reason reason, String message) {
    super(message);
    this.reason = requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
