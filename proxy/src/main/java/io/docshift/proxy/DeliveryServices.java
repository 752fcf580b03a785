package io.docshift.proxy;

import static java.util.Objects.requireNonNull;

import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.proxy.delivery.DeliverySources;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.traffic.revert.S3Evidence;
import io.docshift.write.WriteService;

/**
 * What the handlers call: what delivery reads are served from (the composed read store, the client
 * of Cloudinary's delivery host for requests Cloudinary answers itself, the account's signer for
 * {@code s--SIG--} checks), the write path and the API pass-through, and the metrics recorder.
 * Owned by the caller: {@link ProxyServer#close()} does not close them.
 *
 * @param reads what delivery requests are served from; originals through the read path ({@link
 *     ReadPath})
 * @param metrics where each request's classified outcome is recorded
 * @param evidence auto-revert's feed, told each request S3 answered
 * @param writes the Upload API (upload, destroy) by write mode
 * @param api Cloudinary's API host, for every other {@code /v1_1/...} call (on the proxy's event
 *     loops)
 * @param maxUploadBodyBytes largest Upload API request body; larger ones get 413
 */
public record DeliveryServices(
    DeliverySources reads,
    MetricsRecorder metrics,
    S3Evidence evidence,
    WriteService writes,
    UpstreamClient api,
    long maxUploadBodyBytes) {
  /** Validates that no component is null. */
  public DeliveryServices {
    requireNonNull(writes, "writes");
    requireNonNull(api, "api");
    requireNonNull(reads, "reads");
    requireNonNull(metrics, "metrics");
    requireNonNull(evidence, "evidence");
  }
}
