package io.docshift.sandbox.emulator;

/** Error texts for size limits, as the service words them. */
final class Limits {
  private Limits() {}

  /** {@code File size too large. Got N. Maximum is M.} (HTTP 400). */
  static ApiException tooLarge(long got, long maximum) {
    return ApiException.badRequest(
        "File size too large. Got " + got + ". Maximum is " + maximum + ".");
  }
}
