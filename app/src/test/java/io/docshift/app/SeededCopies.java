package io.docshift.app;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.S3ReadClient;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.ledger.LedgerKey;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.SeedRequest;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Raw documents seeded into the emulator for a copying command to copy, and what S3 holds of them
 * afterwards, read on the SDK whatever client the command copied on.
 */
public final class SeededCopies {
  private final CloudinaryEmulator emulator;
  private final DocShiftConfig config;
  private final Map<LedgerKey, String> sha256 = new HashMap<>();

  public SeededCopies(CloudinaryEmulator emulator, DocShiftConfig config) {
    this.emulator = emulator;
    this.config = config;
  }

  /** The line {@code CopyStores} logs when it opens the stores of {@code client}. */
  public static String announcement(S3ReadClient client) {
    return "(s3.readClient = " + client + ")";
  }

  /** Seeds {@code size} random bytes as the raw upload {@code publicId}; returns its row's key. */
  public LedgerKey seedRaw(String publicId, int size) {
    byte[] bytes = TestBodies.random(size, publicId.hashCode());
    emulator.seed(
        SeedRequest.builder()
            .resourceType("raw")
            .type("upload")
            .publicId(publicId)
            .content(new ByteArrayInputStream(bytes))
            .build());
    LedgerKey key = new LedgerKey(config.cloudinary().cloudName(), "raw", "upload", publicId);
    sha256.put(key, TestBodies.sha256Hex(bytes));
    return key;
  }

  /** The SHA-256 of the bytes seeded as {@code key}. */
  public String sha256(LedgerKey key) {
    return sha256.get(key);
  }

  /** The SHA-256 of S3's object of {@code key}, or empty when S3 holds none. */
  public Optional<String> s3Sha256(LedgerKey key) throws Exception {
    DocumentKey document =
        DocumentKey.of(key.cloud(), ResourceType.RAW, DeliveryType.UPLOAD, key.publicId(), null);
    try (S3DocumentStore s3 = S3DocumentStore.create(StoreSettings.s3(config.s3()).build())) {
      byte[] body =
          SlowSubscriber.collect(
                  s3.get(document, Optional.empty()).get(30, TimeUnit.SECONDS).body())
              .get(30, TimeUnit.SECONDS);
      return Optional.of(TestBodies.sha256Hex(body));
    } catch (ExecutionException e) {
      return Optional.empty();
    }
  }
}
