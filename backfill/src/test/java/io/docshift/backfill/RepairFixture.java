package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.DocumentTurns;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.testkit.MutableClock;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * One repair worker over the real emulator, a real S3 store and an H2 ledger whose clock the test
 * moves (the outbox's due times and backoff run on it). Closes what it opened; the S3 store stays
 * the caller's.
 */
final class RepairFixture implements AutoCloseable {
  final MutableClock clock = new MutableClock(Instant.now());
  final Ledger ledger = Runs.h2Ledger(clock);
  final RecordingMetrics metrics = new RecordingMetrics();
  final DocumentStore cloudinary;
  final DocumentStore s3;
  final RepairWorker worker;

  RepairFixture(CloudinaryEmulator emulator, DocumentStore s3, Path spool) {
    this(emulator, s3, spool, DocumentTurns.NONE);
  }

  /** A worker that takes {@code turns} before each repair, as one beside a write path does. */
  RepairFixture(CloudinaryEmulator emulator, DocumentStore s3, Path spool, DocumentTurns turns) {
    this.cloudinary = Harness.cloudinary(emulator);
    this.s3 = s3;
    this.worker =
        RepairWorker.builder(options(spool), ledger, Harness.account(emulator), cloudinary, s3)
            .metrics(metrics)
            .turns(turns)
            .sleeper(duration -> {})
            .random(new SplittableRandom(11))
            .build();
  }

  /** A test's repair options: small batches, two threads, spooling to {@code spool}. */
  static RepairOptions options(Path spool) {
    return RepairOptions.builder()
        .ownerId("test-repair")
        .batchSize(3)
        .concurrency(2)
        .interval(Duration.ofMillis(100))
        .documentTimeout(Duration.ofSeconds(30))
        .spoolDir(spool)
        .build();
  }

  DocumentRecord row(LedgerKey key) {
    return ledger.documents().find(key).orElseThrow();
  }

  /** Puts {@code bytes} into S3 as a dual-write would: digests and the Cloudinary version. */
  void putInS3(DocumentKey key, byte[] bytes, long version) throws Exception {
    PutRequest request =
        PutRequest.builder(bytes.length, AsyncRequestBody.fromBytes(bytes))
            .md5Hex(hex("MD5", bytes))
            .sha256Hex(hex("SHA-256", bytes))
            .cloudinaryVersion(version)
            .build();
    s3.put(key, request).get(30, TimeUnit.SECONDS);
  }

  /** Copies a seeded document into S3 through a PUT repair, so it starts out verified. */
  void migrated(Seeded doc) throws InterruptedException {
    ledger.outbox().enqueue(doc.ledgerKey(), io.docshift.ledger.RepairOperation.PUT, "seed");
    worker.runOnce();
  }

  static String hex(String algorithm, byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }

  @Override
  public void close() {
    worker.close();
    cloudinary.close();
    ledger.close();
  }

  /** Both stores hold {@code doc}'s bytes and its row is verified with their digest. */
  void assertBothStoresHold(Seeded doc) throws Exception {
    assertThat(Harness.storedSha256(cloudinary, doc.key())).contains(doc.sha256());
    assertThat(Harness.storedSha256(s3, doc.key())).contains(doc.sha256());
    DocumentRecord row = row(doc.ledgerKey());
    assertThat(row.state()).isEqualTo(S3State.VERIFIED);
    assertThat(row.s3().sha256()).isEqualTo(doc.sha256());
  }
}
