package io.docshift.proxy.graphql;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.JdkHttp;
import io.docshift.core.thread.DaemonThreads;
import io.docshift.ledger.Ledger;
import io.docshift.shadow.VerifyOptions;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.stores.s3.S3Inventory;
import io.docshift.traffic.control.TrafficControl;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Builds {@link GraphqlEndpoint}s: from the configuration, or from given parts (tests, benchmarks).
 */
public final class GraphqlEndpoints {
  /**
   * S3 HEADs in flight per batch: S3 has no batch HEAD, so a page of 100 documents that asks what
   * only a HEAD returns is 100 HEADs (otherwise it is listed); 32 at a time halves what 8 took in
   * the benchmark and stays within the S3 client's 64 connections.
   */
  static final int S3_PARALLELISM = 32;

  private GraphqlEndpoints() {}

  /**
   * An endpoint with clients of its own (a JDK HTTP client for the Admin API, an S3 client and a
   * ledger thread), closed with it; the ledger and traffic control stay the caller's.
   */
  public static GraphqlEndpoint open(DocShiftConfig config, Ledger ledger, TrafficControl control) {
    requireNonNull(config, "config");
    S3DocumentStore s3 = S3DocumentStore.create(StoreSettings.s3(config.s3()).build());
    return open(config, ledger, control, s3, CostRules.DEFAULTS, Clock.systemUTC(), true);
  }

  /**
   * An endpoint on the given S3 store (closed with the endpoint), cost rules and clock; {@code
   * batching} false makes every lookup one upstream call per document (the naive baseline). Every
   * Cloudinary call is bounded by {@code cloudinary.requestTimeoutMillis}; a re-verify or repair by
   * four times that per document.
   */
  public static GraphqlEndpoint open(
      DocShiftConfig config,
      Ledger ledger,
      TrafficControl control,
      DocumentStore s3,
      CostRules rules,
      Clock clock,
      boolean batching) {
    Duration timeout = Duration.ofMillis(config.cloudinary().requestTimeoutMillis());
    CloudinaryAccount account = StoreSettings.cloudinaryAccount(config.cloudinary());
    JdkHttp http =
        JdkHttp.open("docshift-graphql-cloudinary", Duration.ofSeconds(5), account.trust());
    ExecutorService blocking =
        Executors.newFixedThreadPool(2, DaemonThreads.named("docshift-graphql-ledger"));
    CloudinaryResources cloudinary = new CloudinaryResources(http.client(), account, timeout);
    CloudinaryDocumentStore originals =
        CloudinaryDocumentStore.builder(account).responseTimeout(timeout).build();
    S3Inventory bucket = S3Inventory.create(StoreSettings.s3(config.s3()).build());
    DocumentChecks checks =
        new DocumentChecks(
            ledger,
            cloudinary,
            originals,
            s3,
            bucket,
            account.cloudName(),
            VerifyOptions.defaults()
                .withDocumentTimeout(Duration.ofMillis(Math.max(1000, 4 * timeout.toMillis()))));
    S3Heads heads = new S3Heads(s3, S3_PARALLELISM);
    Sources sources =
        new Sources(
            requireNonNull(ledger, "ledger"),
            requireNonNull(control, "control"),
            config.cloudinary().cloudName(),
            cloudinary,
            heads,
            new S3Listings(bucket, heads),
            blocking,
            batching,
            checks,
            clock);
    ProgressSnapshots snapshots = ProgressSnapshots.start(ledger);
    return new GraphqlEndpoint(
        sources,
        rules,
        clock,
        () -> {
          snapshots.close();
          blocking.shutdownNow();
          http.close();
          try {
            originals.close();
          } finally {
            try {
              bucket.close();
            } finally {
              s3.close();
            }
          }
        });
  }
}
