package io.docshift.proxy.delivery;

import static java.util.Objects.requireNonNull;

import io.docshift.read.RoutedDocumentStore;
import io.docshift.stores.cloudinary.CloudinarySigner;
import io.docshift.stores.http.UpstreamClient;

/**
 * What delivery requests are served from: the composed read store for originals, Cloudinary's
 * delivery host for everything else, and what checks a delivery URL (its signature, its cloud
 * name). The delivery package's own value, so that it depends on nothing above it (the proxy's root
 * package hands it over as part of its delivery services). Owned by the caller: nothing here is
 * closed by the handlers.
 *
 * @param store originals, routed between S3 and Cloudinary and shadowed
 * @param delivery Cloudinary's delivery host, for everything that is not an original (on the
 *     proxy's event loops)
 * @param signer verifies delivery signatures with the account secret
 * @param cloudName the account's cloud name (the optional first path segment)
 */
public record DeliverySources(
    RoutedDocumentStore store, UpstreamClient delivery, CloudinarySigner signer, String cloudName) {
  /** Validates that no component is null. */
  public DeliverySources {
    requireNonNull(store, "store");
    requireNonNull(delivery, "delivery");
    requireNonNull(signer, "signer");
    requireNonNull(cloudName, "cloudName");
  }
}
