package io.docshift.proxy;

import static java.util.Objects.requireNonNull;

import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.read.RoutedDocumentStore;
import io.docshift.stores.cloudinary.CloudinarySigner;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.traffic.revert.S3Evidence;
import io.docshift.write.WriteService;

/**
 * What the handlers call: the composed read store (routing, fallback), the client of Cloudinary's
 * delivery host for requests Cloudinary answers itself, the account's signer for {@code s--SIG--}
 * checks, and the metrics recorder. Owned by the caller: {@link ProxyServer#close()} does not close
 * them.
 *
 * @param store originals, routed between S3 and Cloudinary and shadowed ({@link ReadPath})
 * @param delivery Cloudinary's delivery host, for everything that is not an original (on the
 *     proxy's event loops)
 * @param signer verifies delivery signatures with the account secret
 * @param cloudName the account's cloud name (the optional first path segment)
 * @param metrics where each request's classified outcome is recorded
 * @param evidence auto-revert's feed, told each request S3 answered
 * @param writes the Upload API (upload, destroy) by write mode
 * @param api Cloudinary's API host, for every other {@code /v1_1/...} call (on the proxy's event
 *     loops)
 * @param maxUploadBodyBytes largest Upload API request body; larger ones get 413
 */
public record DeliveryServices(
    RoutedDocumentStore store,
    UpstreamClient delivery,
    CloudinarySigner signer,
    String cloudName,
    MetricsRecorder metrics,
    S3Evidence evidence,
    WriteService writes,
    UpstreamClient api,
    long maxUploadBodyBytes) {
  /** Validates that no component is null. */
  public DeliveryServices {
    requireNonNull(writes, "writes");
    requireNonNull(api, "api");
    requireNonNull(store, "store");
    requireNonNull(delivery, "delivery");
    requireNonNull(signer, "signer");
    requireNonNull(cloudName, "cloudName");
    requireNonNull(metrics, "metrics");
    requireNonNull(evidence, "evidence");
  }
}
