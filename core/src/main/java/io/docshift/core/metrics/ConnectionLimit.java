package io.docshift.core.metrics;

import java.util.Locale;

/**
 * Which of the proxy's limits closed a client connection: the {@code reason} tag of {@code
 * docshift.proxy.connections.closed}. A fixed set, so the tag stays bounded.
 */
public enum ConnectionLimit {
  /** Neither reads nor write progress for {@code proxy.idleTimeoutMillis}. */
  IDLE,
  /** Request headers not complete within {@code proxy.headerReadTimeoutMillis} (slow loris). */
  HEADER_DEADLINE,
  /** A request body under {@code proxy.minBodyBytesPerSecond} (slow POST; answered 408). */
  BODY_DEADLINE,
  /** The client kept its connection unwritable for {@code proxy.writeStallMillis}. */
  WRITE_STALL,
  /**
   * The client read under {@code proxy.minResponseBytesPerSecond} while the send buffer was full.
   */
  RESPONSE_RATE,
  /** A response not handed to the kernel within its grace plus its size at the floor's rate. */
  RESPONSE_DEADLINE;

  /** Lowercase name for metrics tags and logs. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
