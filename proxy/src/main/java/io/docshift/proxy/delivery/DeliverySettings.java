package io.docshift.proxy.delivery;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The two server settings a delivery answer reads, taken by the proxy's initializer from its
 * validated server settings (which check their ranges), so that the delivery package depends on
 * nothing above it.
 *
 * @param storeTotalWait longest total wait on the store of one streamed body (headers plus every
 *     body read asked for); a trickling store is cut there
 * @param cacheMaxAgeSeconds {@code max-age} of {@code Cache-Control} on originals
 */
public record DeliverySettings(Duration storeTotalWait, long cacheMaxAgeSeconds) {
  /** Validates that the wait is not null. */
  public DeliverySettings {
    requireNonNull(storeTotalWait, "storeTotalWait");
  }
}
