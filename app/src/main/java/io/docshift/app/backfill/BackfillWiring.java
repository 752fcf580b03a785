package io.docshift.app.backfill;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.store.cloudinary.CloudinaryAccount;
import io.docshift.core.store.cloudinary.CloudinaryDocumentStore;
import io.docshift.core.store.s3.S3DocumentStore;
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
        .build();
  }

  /** An S3 store with connections for every worker (one download and one upload each). */
  static S3DocumentStore s3(DocShiftConfig config, int concurrency) {
    config.requireNonEmpty("s3.bucket");
    return S3DocumentStore.create(
        StoreSettings.s3(config.s3()).maxConcurrency(Math.max(64, concurrency * 2)).build());
  }
}
