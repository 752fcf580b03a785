package io.docshift.shadow;

import com.github.benmanes.caffeine.cache.Ticker;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.read.ReadStores;
import io.docshift.read.RoutedDocumentStore;
import io.docshift.read.Served;
import io.docshift.read.VerifiedCopies;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.stores.s3.S3Inventory;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.SandboxConfigKeys;
import io.docshift.testkit.SettableTrafficState;
import io.docshift.testkit.ShadowCounts;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import io.docshift.traffic.TrafficState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The read path with shadow reads, composed as the proxy composes it ({@link ReadStores} then
 * {@link ShadowReads}), over the real emulator, S3Proxy and an in-memory H2 ledger. Reads are
 * consumed like a client would consume them.
 */
final class ShadowFixture implements AutoCloseable {
  final CloudinaryEmulator emulator;
  final EmbeddedS3 s3;
  final DocShiftConfig config;
  final Ledger ledger;
  final SettableTrafficState traffic =
      new SettableTrafficState(new TrafficState(0, WriteMode.CLOUDINARY_ONLY, 100));
  final ShadowCounts tally = new ShadowCounts();
  final ExecutorService ledgerExecutor = Executors.newFixedThreadPool(2);
  final VerifiedCopies copies;
  final S3DocumentStore s3Writer;
  final RoutedDocumentStore store;

  ShadowFixture(CloudinaryEmulator emulator, EmbeddedS3 s3, UnaryOperator<ShadowReads> custom) {
    this.emulator = emulator;
    this.s3 = s3;
    Map<String, String> keys = SandboxConfigKeys.of(emulator, s3.endpoint(), "shadow");
    this.config = DocShiftConfig.builder().overrides(keys).build();
    this.ledger = Ledger.open(LedgerSettings.builder(config).build());
    this.copies =
        VerifiedCopies.create(
            ledger.documents()::find,
            ledgerExecutor,
            Duration.ofSeconds(5),
            10_000,
            Ticker.systemTicker());
    this.s3Writer = S3DocumentStore.create(StoreSettings.s3(config.s3()).build());
    RoutedDocumentStore routed =
        ReadStores.builder()
            .cloudinary(cloudinary())
            .s3(S3DocumentStore.create(StoreSettings.s3(config.s3()).build()))
            .traffic(traffic)
            .copies(copies)
            .build();
    ShadowReads shadows =
        ShadowReads.builder()
            .primary(routed)
            .shadowCloudinary(cloudinary())
            .shadowS3(S3DocumentStore.create(StoreSettings.s3(config.s3()).build()))
            .traffic(traffic)
            .copies(copies)
            .ledger(ShadowLedger.of(ledger), ledgerExecutor)
            .metrics(tally);
    this.store = custom.apply(shadows).build();
  }

  private CloudinaryDocumentStore cloudinary() {
    return CloudinaryDocumentStore.builder(StoreSettings.cloudinaryAccount(config.cloudinary()))
        .build();
  }

  void weight(int s3ReadPercent) {
    traffic.update(s -> s.withS3ReadPercent(s3ReadPercent));
  }

  void shadowPercent(int percent) {
    traffic.update(s -> new TrafficState(s.s3ReadPercent(), s.writeMode(), percent));
  }

  StoredAsset seedRaw(String publicId, byte[] bytes) {
    return EmulatedAssets.seedRaw(emulator, publicId, bytes);
  }

  static DocumentKey key(StoredAsset a) {
    return EmulatedAssets.documentKey(a);
  }

  /** Copies the original into S3 (as the backfill would) and marks the ledger row verified. */
  void copyToS3(StoredAsset a, byte[] bytes, String contentType) throws Exception {
    EmulatedAssets.copyVerified(s3Writer, ledger, a, bytes, contentType);
  }

  /**
   * Overwrites the S3 object behind DocShift's back with {@code bytes}, keeping the metadata the
   * copy had (MD5, SHA-256 and version of {@code original}): a plain SDK put, no checksums.
   */
  void tamper(StoredAsset a, byte[] original, byte[] bytes, String contentType) throws Exception {
    Map<String, String> metadata =
        Map.of(
            "md5", TestBodies.md5Hex(original),
            "sha256", TestBodies.sha256Hex(original),
            "cloudinary-version", Long.toString(a.version()));
    overwrite(a, bytes, contentType, metadata);
  }

  /**
   * Overwrites the S3 object behind DocShift's back with {@code bytes}, keeping the user metadata
   * it has now, whatever DocShift's writer put there: a plain SDK put, no checksums.
   */
  void replaceKeepingMetadata(StoredAsset a, byte[] bytes, String contentType) throws Exception {
    String s3Key = key(a).s3Key(config.s3().keyPrefix());
    Map<String, String> metadata;
    try (S3Client client = plainClient()) {
      metadata = client.headObject(b -> b.bucket(EmbeddedS3Extension.BUCKET).key(s3Key)).metadata();
    }
    overwrite(a, bytes, contentType, metadata);
  }

  private void overwrite(
      StoredAsset a, byte[] bytes, String contentType, Map<String, String> metadata) {
    try (S3Client client = plainClient()) {
      client.putObject(
          b ->
              b.bucket(EmbeddedS3Extension.BUCKET)
                  .key(key(a).s3Key(config.s3().keyPrefix()))
                  .contentType(contentType)
                  .metadata(metadata),
          RequestBody.fromBytes(bytes));
    }
  }

  /**
   * A blocking client: it needs no event loops, so closing it never waits for the AWS SDK's shared
   * group to shut down (which a Netty client does when it is that group's last user).
   */
  private S3Client plainClient() {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .credentialsProvider(
            () ->
                AwsBasicCredentials.create(
                    EmbeddedS3Extension.ACCESS_KEY, EmbeddedS3Extension.SECRET_KEY))
        .build();
  }

  /**
   * One {@code verify} walk over the ledger rows under {@code prefix} (and the S3 objects of this
   * fixture's key prefix), each finding handed to {@code findings}.
   */
  VerifyReport verify(
      VerifyOptions options,
      String prefix,
      DocumentStore cloudinary,
      DocumentStore s3,
      S3Inventory bucket,
      Consumer<Finding> findings)
      throws InterruptedException {
    return Verify.builder(
            options,
            ledger,
            Inventory.ledger(ledger, prefix),
            cloudinary,
            s3,
            bucket,
            CloudinaryEmulatorExtension.CLOUD_NAME)
        .onFinding(findings)
        .build()
        .run();
  }

  /** A client's whole read: the backend that served it and every byte. */
  record Read(Served<DocumentResponse> served, byte[] body) {}

  Read read(StoredAsset a) throws Exception {
    Served<DocumentResponse> served =
        store.getServed(key(a), Optional.empty()).get(30, TimeUnit.SECONDS);
    byte[] body = SlowSubscriber.readAll(served.value().body(), Duration.ofSeconds(30)).bytes();
    return new Read(served, body);
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      s3Writer.close();
      ledgerExecutor.shutdownNow();
      ledger.close();
    }
  }
}
