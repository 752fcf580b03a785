package io.docshift.app.backfill;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.S3ReadClient;
import io.docshift.core.config.S3Settings;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.store.DocumentStore;
import io.docshift.stores.CopyClients;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.http.UpstreamSettings;
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
   * The stores one run copies with: on {@code s3.readClient = NETTY} (the default) downloads and
   * streamed puts on DocShift's Netty clients ({@link CopyClients}), else the JDK client's
   * downloads and the SDK's puts. Closing closes the stores, then the clients' loops.
   */
  record Stores(DocumentStore cloudinary, DocumentStore s3, CopyClients clients)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        s3.close();
      } finally {
        try {
          cloudinary.close();
        } finally {
          if (clients != null) {
            clients.close(); // after the stores: their connections ran on its loops
          }
        }
      }
    }
  }

  static Stores open(DocShiftConfig config, CloudinaryAccount account, int concurrency) {
    CloudinaryDocumentStore jdk = cloudinary(config, account);
    S3DocumentStore sdk = s3(config, concurrency);
    if (config.s3().readClient() == S3ReadClient.SDK) {
      return new Stores(jdk, sdk, null);
    }
    CopyClients clients = CopyClients.create(Runtime.getRuntime().availableProcessors());
    CloudinaryConfig cloudinary = config.cloudinary();
    DocumentStore downloads =
        clients.cloudinary(
            account,
            jdk,
            Duration.ofMillis(cloudinary.connectTimeoutMillis()),
            Duration.ofMillis(cloudinary.requestTimeoutMillis()),
            UpstreamSettings.DEFAULT_TOTAL_WAIT);
    S3Settings settings =
        StoreSettings.s3(config.s3()).maxConcurrency(Math.max(64, concurrency * 2)).build();
    return new Stores(
        downloads, clients.s3(sdk, settings, UpstreamSettings.DEFAULT_TOTAL_WAIT), clients);
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
