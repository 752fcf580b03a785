package io.docshift.traffic.control;

/**
 * A well-formed change that the current state does not allow, e.g. routing reads to S3 while
 * auto-revert is latched. The admin API answers 409 with the message; nothing was changed.
 */
public final class TrafficConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TrafficConflictException(String message) {
    super(message);
  }
}
