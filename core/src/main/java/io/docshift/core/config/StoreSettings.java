package io.docshift.core.config;

import static java.util.Objects.requireNonNull;

import io.docshift.core.store.StoreTrust;
import java.time.Duration;

/**
 * The one mapping from the {@code cloudinary.*} and {@code s3.*} configuration sections to the
 * stores' settings, shared by the proxy, the backfill and every other command.
 */
public final class StoreSettings {
  private StoreSettings() {}

  /** The Cloudinary account of {@code cloudinary.*}. */
  public static CloudinaryAccount cloudinaryAccount(CloudinaryConfig c) {
    requireNonNull(c, "c");
    return new CloudinaryAccount(
        c.cloudName(),
        c.apiKey(),
        c.apiSecret(),
        c.apiUrl(),
        c.deliveryBaseUrl(),
        c.signatureAlgorithm(),
        StoreTrust.of(c.caFile()));
  }

  /**
   * S3 settings of {@code s3.*}, as a builder so a caller can size its connection pool. Static
   * credentials when both keys are set, else the default AWS credential chain.
   */
  public static S3Settings.Builder s3(S3Config c) {
    requireNonNull(c, "c");
    Duration timeout = Duration.ofMillis(c.requestTimeoutMillis());
    S3Settings.Builder b =
        S3Settings.builder(c.region(), c.bucket())
            .keyPrefix(c.keyPrefix())
            .pathStyle(c.pathStyle())
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .connectTimeout(Duration.ofMillis(c.connectTimeoutMillis()))
            .maxConcurrency(c.maxConnections())
            .trust(StoreTrust.of(c.caFile()))
            .writeTotalTimeout(Duration.ofMillis(c.writeTotalTimeoutMillis()));
    c.endpoint().ifPresent(b::endpoint);
    if (c.hasStaticCredentials()) {
      b.credentials(c.accessKey(), c.secretKey());
    }
    return b;
  }
}
