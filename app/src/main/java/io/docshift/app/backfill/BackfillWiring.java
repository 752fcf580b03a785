package io.docshift.app.backfill;

import io.docshift.core.config.CloudinaryConfig;
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
    CloudinaryConfig c = config.cloudinary();
    require(!c.cloudName().isEmpty(), "cloudinary.cloudName");
    require(!c.apiKey().isEmpty(), "cloudinary.apiKey");
    require(!c.apiSecret().isEmpty(), "cloudinary.apiSecret");
    return StoreSettings.cloudinaryAccount(c);
  }

  static CloudinaryDocumentStore cloudinary(DocShiftConfig config, CloudinaryAccount account) {
    return CloudinaryDocumentStore.builder(account)
        .responseTimeout(Duration.ofMillis(config.cloudinary().requestTimeoutMillis()))
        .build();
  }

  /** An S3 store with connections for every worker (one download and one upload each). */
  static S3DocumentStore s3(DocShiftConfig config, int concurrency) {
    require(!config.s3().bucket().isEmpty(), "s3.bucket");
    return S3DocumentStore.create(
        StoreSettings.s3(config.s3()).maxConcurrency(Math.max(64, concurrency * 2)).build());
  }

  private static void require(boolean present, String key) {
    if (!present) {
      throw new IllegalArgumentException(key + ": <empty> (expected: a value; see --config)");
    }
  }
}
