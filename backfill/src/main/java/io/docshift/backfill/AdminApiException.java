package io.docshift.backfill;

/**
 * An Admin API call answered with an error status. {@link #throttled()} (420, 429) means wait for
 * the budget's reset; {@link #transientFailure()} (5xx, 408) means retry later; anything else (401
 * bad credentials, 400 bad request, 404 unknown cloud) will not get better by retrying.
 */
final class AdminApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient RateLimit rateLimit;

  AdminApiException(int status, String message, RateLimit rateLimit) {
    super("Admin API HTTP " + status + ": " + message);
    this.status = status;
    this.rateLimit = rateLimit;
  }

  int status() {
    return status;
  }

  RateLimit rateLimit() {
    return rateLimit;
  }

  boolean throttled() {
    return status == 420 || status == 429;
  }

  boolean transientFailure() {
    return status >= 500 || status == 408;
  }
}
