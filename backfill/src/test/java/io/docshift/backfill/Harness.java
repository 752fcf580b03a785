package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.copier.DocumentCopier;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.S3Settings;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.SeedRequest;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.stores.CopyClients;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.EmulatedAssets;
import io.docshift.testkit.EmulatorAccount;
import io.docshift.testkit.SlowSubscriber;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;

/** Test wiring over the real emulator and S3Proxy: stores, a small mixed corpus, S3 digests. */
final class Harness {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** The copy clients' loops, shared by every test of the run (daemon threads, never closed). */
  private static final CopyClients CLIENTS = CopyClients.create(2);

  private Harness() {}

  static CloudinaryAccount account(CloudinaryEmulator emulator) {
    return EmulatorAccount.at(emulator.baseUrl());
  }

  /**
   * Cloudinary as the backfill command reads it: downloads on the copy clients' Netty loops, writes
   * on the JDK-client store.
   */
  static DocumentStore cloudinary(CloudinaryEmulator emulator) {
    CloudinaryAccount account = account(emulator);
    return CLIENTS.cloudinary(
        account,
        CloudinaryDocumentStore.builder(account).build(),
        Duration.ofSeconds(2),
        TIMEOUT,
        TIMEOUT);
  }

  /** S3 as the backfill command writes it: streamed puts on the copy clients' Netty loops. */
  static DocumentStore s3(EmbeddedS3 s3, String keyPrefix) {
    return s3(s3.endpoint(), keyPrefix);
  }

  /** {@link #s3(EmbeddedS3, String)} through {@code endpoint} (a relay in front of S3Proxy). */
  static DocumentStore s3(URI endpoint, String keyPrefix) {
    S3Settings settings =
        S3Settings.builder(EmbeddedS3.REGION, EmbeddedS3Extension.BUCKET)
            .endpoint(endpoint)
            .credentials(EmbeddedS3Extension.ACCESS_KEY, EmbeddedS3Extension.SECRET_KEY)
            .pathStyle(true)
            .keyPrefix(keyPrefix)
            .build();
    return CLIENTS.s3(S3DocumentStore.create(settings), settings, TIMEOUT);
  }

  /** A seeded document and the SHA-256 of its bytes. */
  record Seeded(StoredAsset asset, String sha256) {
    DocumentKey key() {
      return DocumentCopier.documentKey(ledgerAsset());
    }

    CloudinaryAsset ledgerAsset() {
      return new CloudinaryAsset(
          ledgerKey(), asset.format(), asset.version(), asset.etag(), asset.bytes());
    }

    LedgerKey ledgerKey() {
      return EmulatedAssets.ledgerKey(asset);
    }
  }

  /**
   * {@code count} KiB-sized documents under {@code folder/}: images (PDF bytes) and raw files,
   * cycling through upload, private and authenticated.
   */
  static List<Seeded> seed(CloudinaryEmulator emulator, String folder, int count, long seed) {
    String[] types = {"upload", "private", "authenticated"};
    Random random = new Random(seed);
    List<Seeded> seeded = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean raw = i % 2 == 1;
      String publicId = folder + "/doc-" + i + (raw ? ".bin" : "");
      seeded.add(seedOne(emulator, raw ? "raw" : "image", types[i % 3], publicId, random));
    }
    return seeded;
  }

  static Seeded seedOne(
      CloudinaryEmulator emulator, String resourceType, String type, String publicId, Random r) {
    return seedOne(emulator, resourceType, type, publicId, r, 1024 + r.nextInt(4096));
  }

  /** {@link #seedOne(CloudinaryEmulator, String, String, String, Random)} of {@code size} bytes. */
  static Seeded seedOne(
      CloudinaryEmulator emulator,
      String resourceType,
      String type,
      String publicId,
      Random r,
      int size) {
    byte[] data = new byte[size];
    r.nextBytes(data);
    byte[] magic = "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, data, 0, magic.length);
    StoredAsset asset =
        emulator.seed(
            SeedRequest.builder()
                .resourceType(resourceType)
                .type(type)
                .publicId(publicId)
                .content(new ByteArrayInputStream(data))
                .build());
    return new Seeded(asset, sha256(data));
  }

  /** Seeds {@code data} as the raw upload {@code publicId} (replacing what the id held). */
  static Seeded seedRaw(CloudinaryEmulator emulator, String publicId, byte[] data) {
    StoredAsset asset =
        emulator.seed(
            SeedRequest.builder()
                .resourceType("raw")
                .type("upload")
                .publicId(publicId)
                .content(new ByteArrayInputStream(data))
                .build());
    return new Seeded(asset, sha256(data));
  }

  /** The emulator's file of {@code doc}: a test damages it to make Cloudinary serve other bytes. */
  static Path emulatorFile(CloudinaryEmulator emulator, Seeded doc) {
    String name = URLEncoder.encode(doc.asset().publicId(), StandardCharsets.UTF_8) + ".bin";
    return emulator
        .config()
        .dataDir()
        .resolve("assets")
        .resolve(doc.asset().resourceType())
        .resolve(doc.asset().type())
        .resolve(name);
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** SHA-256 of what {@code store} returns for {@code key}, or empty when it has nothing. */
  static Optional<String> storedSha256(DocumentStore store, DocumentKey key) throws Exception {
    DocumentResponse response;
    try {
      response = store.get(key, Optional.empty()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return Optional.empty();
    }
    return Optional.of(sha256(response.body()));
  }

  /** SHA-256 of every byte {@code body} publishes. */
  static String sha256(Publisher<ByteBuffer> body) throws Exception {
    return sha256(SlowSubscriber.collect(body).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
  }

  /** The row a listing of {@code doc} leaves in {@code ledger}. */
  static DocumentRecord listed(Ledger ledger, Seeded doc) {
    ledger.documents().upsert(doc.ledgerAsset(), UpsertOrigin.LISTING);
    return ledger.documents().find(doc.ledgerKey()).orElseThrow();
  }

  /** Every seeded document is in S3, byte-identical. */
  static void assertAllCopied(DocumentStore s3, List<Seeded> seeded) throws Exception {
    for (Seeded doc : seeded) {
      assertThat(storedSha256(s3, doc.key())).as(doc.asset().publicId()).contains(doc.sha256());
    }
  }
}
