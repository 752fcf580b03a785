package io.docshift.app.backfill;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.s3.S3DocumentStore;
import java.time.Duration;

/** Builds the backfill's stores from the configuration. */
final class BackfillWiring {
  private BackfillWiring() {}

  static CloudinaryAccount account(DocShiftConfig config) {
    config.requireNonEmpty("cloudinary.cloudName", "cloudinary.apiKey", "cloudinary.apiSecret");
    return StoreSettings.cloudinaryAccount(config.cloudinary());
  }

  static CloudinaryDocumentStore cloudinary(DocShiftConfig config, CloudinaryAccount account) {
    return CloudinaryDocumentStore.builder(account)
        .responseTimeout(Duration.ofMillis(config.cloudinary().requestTimeoutMillis()))
        .connectTimeout(Duration.ofMillis(config.cloudinary().connectTimeoutMillis()))
        .build();
  }

  /**
   * An S3 store with connections for every worker (one download and one upload each), on DocShift's
   * process-wide S3 event loop: closing it at the end of a run does not wait.
   */
  static S3DocumentStore s3(DocShiftConfig config, int concurrency) {
    config.requireNonEmpty("s3.bucket");
    return S3DocumentStore.create(
        StoreSettings.s3(config.s3()).maxConcurrency(Math.max(64, concurrency * 2)).build());
  }
}
