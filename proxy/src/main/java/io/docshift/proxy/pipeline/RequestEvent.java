package io.docshift.proxy.pipeline;

/**
 * Signals the codec group sends back to the limits group through the pipeline (fired from the head,
 * consumed by {@link HeaderReadTimeout}), so the header-read timer knows when a request's headers
 * are complete and when its body has ended, and the one signal the limits group sends forward to
 * the handler reading a body.
 */
public enum RequestEvent {
  /** A request's header section was decoded (or rejected). */
  HEADERS_RECEIVED,
  /** A request's body (if any) has ended; the next bytes start a new request. */
  REQUEST_ENDED,
  /**
   * A request's body fell behind the byte-rate floor ({@link BodyReadDeadline}); the handler
   * reading it answers 408 and closes.
   */
  BODY_TOO_SLOW
}
