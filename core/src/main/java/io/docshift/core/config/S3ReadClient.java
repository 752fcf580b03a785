package io.docshift.core.config;

/**
 * Which HTTP client the read path's S3 GETs and HEADs, and the backfill's copies (downloads and
 * puts), use ({@code s3.readClient}).
 */
public enum S3ReadClient {
  /**
   * DocShift's own Netty client on the proxy's event loops, requests signed by the AWS SDK's SigV4
   * signer: the lean path, a fraction of the SDK client's CPU per request.
   */
  NETTY,
  /**
   * The AWS SDK's S3 client, as every other S3 call (the write path's puts, copies, deletes,
   * listings) uses; the backfill then downloads on the JDK client.
   */
  SDK
}
