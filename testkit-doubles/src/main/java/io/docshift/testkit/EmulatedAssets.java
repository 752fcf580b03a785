package io.docshift.testkit;

import static java.util.Objects.requireNonNull;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.SeedRequest;
import io.docshift.sandbox.emulator.StoredAsset;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The assets a test's emulator (from {@link CloudinaryEmulatorExtension}) holds, as the stores and
 * the ledger name them, and the few steps that put them where a test wants them: seeded in
 * Cloudinary, listed in the ledger, copied to S3 and verified as the backfill would leave them.
 */
public final class EmulatedAssets {
  private static final long PUT_SECONDS = 30;

  private EmulatedAssets() {}

  /** The ledger identity of {@code asset} in the extension's cloud. */
  public static LedgerKey ledgerKey(StoredAsset asset) {
    return new LedgerKey(
        CloudinaryEmulatorExtension.CLOUD_NAME,
        asset.resourceType(),
        asset.type(),
        asset.publicId());
  }

  /**
   * The store key of {@code asset} in the extension's cloud.
   *
   * @throws java.util.NoSuchElementException when the emulator holds a resource or delivery type
   *     DocShift does not know
   */
  public static DocumentKey documentKey(StoredAsset asset) {
    return DocumentKey.of(
        CloudinaryEmulatorExtension.CLOUD_NAME,
        ResourceType.fromWire(asset.resourceType()).orElseThrow(),
        DeliveryType.fromWire(asset.type()).orElseThrow(),
        asset.publicId(),
        asset.format());
  }

  /** Seeds {@code bytes} into {@code emulator} as one asset, straight into its storage. */
  public static StoredAsset seed(
      CloudinaryEmulator emulator,
      String resourceType,
      String type,
      String publicId,
      byte[] bytes) {
    return emulator.seed(
        SeedRequest.builder()
            .resourceType(resourceType)
            .type(type)
            .publicId(publicId)
            .content(new ByteArrayInputStream(bytes))
            .build());
  }

  /** Seeds {@code bytes} as a public raw upload: no format, served without a signature. */
  public static StoredAsset seedRaw(CloudinaryEmulator emulator, String publicId, byte[] bytes) {
    return seed(emulator, "raw", "upload", publicId, bytes);
  }

  /** Records {@code asset} in the ledger as a listing found it (S3 state absent). */
  public static void list(Ledger ledger, StoredAsset asset) {
    ledger
        .documents()
        .upsert(
            new CloudinaryAsset(
                ledgerKey(asset), asset.format(), asset.version(), asset.etag(), asset.bytes()),
            UpsertOrigin.LISTING);
  }

  /** Marks {@code asset}'s S3 copy copied, then verified, with these digests. */
  public static void markVerified(Ledger ledger, StoredAsset asset, String md5, String sha256) {
    LedgerKey key = ledgerKey(asset);
    ledger.documents().markCopied(key, asset.version(), md5, sha256);
    ledger.documents().markVerified(key, asset.version(), md5, sha256);
  }

  /**
   * Copies {@code bytes} into {@code s3} as {@code asset}'s original (both digests and the version
   * in its metadata), lists the asset in the ledger and marks the copy verified: what the backfill
   * leaves behind.
   *
   * @throws Exception when the put fails or takes longer than 30 seconds
   */
  public static void copyVerified(
      DocumentStore s3, Ledger ledger, StoredAsset asset, byte[] bytes, String contentType)
      throws Exception {
    requireNonNull(s3, "s3");
    requireNonNull(ledger, "ledger");
    String md5 = TestBodies.md5Hex(bytes);
    String sha = TestBodies.sha256Hex(bytes);
    s3.put(
            documentKey(asset),
            new PutRequest(
                bytes.length,
                contentType,
                Optional.of(md5),
                Optional.of(sha),
                OptionalLong.of(asset.version()),
                TestBodies.chunked(bytes, Math.max(1, bytes.length))))
        .get(PUT_SECONDS, TimeUnit.SECONDS);
    list(ledger, asset);
    markVerified(ledger, asset, md5, sha);
  }
}
