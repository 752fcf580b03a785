package io.docshift.app.backfill;

import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.S3Config;
import io.docshift.core.store.cloudinary.CloudinaryAccount;
import io.docshift.core.store.cloudinary.CloudinaryDocumentStore;
import io.docshift.core.store.s3.S3DocumentStore;
import io.docshift.core.store.s3.S3Settings;
import java.time.Duration;

/** Builds the backfill's stores from the configuration. */
final class BackfillWiring {
  private BackfillWiring() {}

  static CloudinaryAccount account(DocShiftConfig config) {
    CloudinaryConfig c = config.cloudinary();
    require(!c.cloudName().isEmpty(), "cloudinary.cloudName");
    require(!c.apiKey().isEmpty(), "cloudinary.apiKey");
    require(!c.apiSecret().isEmpty(), "cloudinary.apiSecret");
    return new CloudinaryAccount(
        c.cloudName(),
        c.apiKey(),
        c.apiSecret(),
        c.apiUrl(),
        c.deliveryBaseUrl(),
        c.signatureAlgorithm());
  }

  static CloudinaryDocumentStore cloudinary(DocShiftConfig config, CloudinaryAccount account) {
    return CloudinaryDocumentStore.builder(account)
        .responseTimeout(Duration.ofMillis(config.cloudinary().requestTimeoutMillis()))
        .build();
  }

  /** An S3 store with connections for every worker (one download and one upload each). */
  static S3DocumentStore s3(DocShiftConfig config, int concurrency) {
    S3Config c = config.s3();
    require(!c.bucket().isEmpty(), "s3.bucket");
    Duration timeout = Duration.ofMillis(c.requestTimeoutMillis());
    S3Settings.Builder settings =
        S3Settings.builder(c.region(), c.bucket())
            .keyPrefix(c.keyPrefix())
            .pathStyle(c.pathStyle())
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .maxConcurrency(Math.max(64, concurrency * 2));
    c.endpoint().ifPresent(settings::endpoint);
    if (c.hasStaticCredentials()) {
      settings.credentials(c.accessKey(), c.secretKey());
    }
    return S3DocumentStore.create(settings.build());
  }

  private static void require(boolean present, String key) {
    if (!present) {
      throw new IllegalArgumentException(key + ": <empty> (expected: a value; see --config)");
    }
  }
}
