package io.docshift.stores;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.S3ReadClient;
import io.docshift.core.config.S3Settings;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.store.DocumentStore;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.http.UpstreamSettings;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.stores.s3.S3Temporaries;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cloudinary and S3 stores one copying run uses outside the proxy: the backfill, the repair
 * worker ({@code docshift serve} and {@code docshift repair --once}) and {@code docshift verify}
 * open them here, from the configuration, so all three copy the same way.
 *
 * <p>On {@code s3.readClient = NETTY} (the default) downloads of originals and streamed S3 puts run
 * on DocShift's Netty clients ({@link CopyClients}, event loops of their own); Cloudinary uploads
 * and destroys stay on the JDK client, and S3 copies, deletes and listings on the AWS SDK. On
 * {@code SDK} everything runs on the JDK client and the SDK, as before the Netty clients existed.
 *
 * <p>Closing closes the S3 store, then the Cloudinary store, then the clients' event loops (the
 * stores' connections run on them). Not thread-safe to close twice.
 */
public final class CopyStores implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CopyStores.class);

  private final CloudinaryAccount account;
  private final DocumentStore cloudinary;
  private final DocumentStore s3;
  private final S3DocumentStore sdk;
  private final CopyClients clients;

  private CopyStores(
      CloudinaryAccount account,
      DocumentStore cloudinary,
      DocumentStore s3,
      S3DocumentStore sdk,
      CopyClients clients) {
    this.account = account;
    this.cloudinary = cloudinary;
    this.s3 = s3;
    this.sdk = sdk;
    this.clients = clients;
  }

  /**
   * Opens the stores of {@code config}'s {@code cloudinary.*} and {@code s3.*} sections.
   *
   * @param s3Connections the most S3 connections open at once (per client: reads and puts each)
   * @throws io.docshift.core.config.ConfigException when the Cloudinary account or the S3 bucket is
   *     not configured
   * @throws IllegalArgumentException if {@code s3Connections < 1}
   */
  public static CopyStores open(DocShiftConfig config, int s3Connections) {
    requireNonNull(config, "config");
    if (s3Connections < 1) {
      throw new IllegalArgumentException("s3Connections: " + s3Connections + " (expected: > 0)");
    }
    config.requireNonEmpty(
        "cloudinary.cloudName", "cloudinary.apiKey", "cloudinary.apiSecret", "s3.bucket");
    CloudinaryAccount account = StoreSettings.cloudinaryAccount(config.cloudinary());
    CloudinaryConfig c = config.cloudinary();
    Duration connect = Duration.ofMillis(c.connectTimeoutMillis());
    Duration response = Duration.ofMillis(c.requestTimeoutMillis());
    CloudinaryDocumentStore jdk =
        CloudinaryDocumentStore.builder(account)
            .responseTimeout(response)
            .connectTimeout(connect)
            .build();
    S3Settings settings = StoreSettings.s3(config.s3()).maxConcurrency(s3Connections).build();
    S3DocumentStore sdk = S3DocumentStore.create(settings);
    if (config.s3().readClient() == S3ReadClient.SDK) {
      LOG.info("copies run on the JDK client and the AWS SDK (s3.readClient = SDK)");
      return new CopyStores(account, jdk, sdk, sdk, null);
    }
    CopyClients clients = CopyClients.create(Runtime.getRuntime().availableProcessors());
    try {
      // The Netty stores own the JDK and SDK stores from here: closing them closes those too.
      Duration wait = UpstreamSettings.DEFAULT_TOTAL_WAIT;
      DocumentStore downloads = clients.cloudinary(account, jdk, connect, response, wait);
      DocumentStore puts = clients.s3(sdk, settings, wait);
      LOG.info("copies run on DocShift's Netty clients (s3.readClient = NETTY)");
      return new CopyStores(account, downloads, puts, sdk, clients);
    } catch (RuntimeException e) {
      new CopyStores(account, jdk, sdk, sdk, clients).close();
      throw e;
    }
  }

  /** The Cloudinary account of {@code cloudinary.*} (signed downloads, uploads, the Admin API). */
  public CloudinaryAccount account() {
    return account;
  }

  /** Reads originals; uploads and destroys (the repair's Cloudinary copies). */
  public DocumentStore cloudinary() {
    return cloudinary;
  }

  /** Receives the copies; honours {@code PutCondition}. */
  public DocumentStore s3() {
    return s3;
  }

  /** The temporary objects of {@code upload_large} chunks in the documents' bucket. */
  public S3Temporaries temporaries() {
    return sdk.temporaries();
  }

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
