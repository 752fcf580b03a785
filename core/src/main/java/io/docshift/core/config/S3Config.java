package io.docshift.core.config;

import java.net.URI;
import java.util.Optional;

/**
 * The {@code s3.*} section: the target bucket.
 *
 * @param endpoint endpoint override; empty means AWS for {@code region}
 * @param region AWS region
 * @param bucket bucket name; empty when not configured
 * @param keyPrefix prefix of every object key (may be empty)
 * @param accessKey static access key; empty means the default credential chain
 * @param secretKey static secret key; masked by {@link #toString()}
 * @param pathStyle whether to use path-style addressing
 * @param requestTimeoutMillis timeout of one S3 request
 * @param connectTimeoutMillis longest wait for a new connection to S3
 * @param caFile PEM bundle of the CAs the endpoint's certificate must chain to; empty for the JDK's
 * @param writeTotalTimeoutMillis longest whole S3 call other than a streamed read (put, copy,
 *     delete, HEAD): sending, waiting and reading the answer
 * @param readClient the client of the read path's (and shadow reads') S3 GETs and HEADs
 * @param maxConnections most connections open to S3 at once, per client
 */
public record S3Config(
    Optional<URI> endpoint,
    String region,
    String bucket,
    String keyPrefix,
    String accessKey,
    String secretKey,
    boolean pathStyle,
    long requestTimeoutMillis,
    long connectTimeoutMillis,
    String caFile,
    long writeTotalTimeoutMillis,
    S3ReadClient readClient,
    int maxConnections) {

  /** True when static keys are configured (otherwise use the default AWS credential chain). */
  public boolean hasStaticCredentials() {
    return !accessKey.isEmpty();
  }

  @Override
  public String toString() {
    return "S3Config[endpoint="
        + endpoint.map(URI::toString).orElse("")
        + ", region="
        + region
        + ", bucket="
        + bucket
        + ", keyPrefix="
        + keyPrefix
        + ", accessKey="
        + accessKey
        + ", secretKey="
        + Mask.secret(secretKey)
        + ", pathStyle="
        + pathStyle
        + ", requestTimeoutMillis="
        + requestTimeoutMillis
        + ", connectTimeoutMillis="
        + connectTimeoutMillis
        + ", caFile="
        + caFile
        + ", writeTotalTimeoutMillis="
        + writeTotalTimeoutMillis
        + ", readClient="
        + readClient
        + ", maxConnections="
        + maxConnections
        + "]";
  }
}
