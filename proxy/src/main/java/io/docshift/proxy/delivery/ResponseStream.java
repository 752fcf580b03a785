package io.docshift.proxy.delivery;

/**
 * A response body being streamed to the client, which {@link DeliveryHandler} keeps informed: the
 * connection's writability changed (resume reading the backend), or the client left.
 */
public interface ResponseStream {
  /** Whether the body ended (completed or aborted). */
  boolean done();

  /** The channel's writability changed: resume reading the backend if it can take more. */
  void writabilityChanged();

  /** The client connection closed: stop reading the backend. */
  void clientGone();
}
