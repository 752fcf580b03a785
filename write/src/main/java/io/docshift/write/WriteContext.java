package io.docshift.write;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.Documents;
import io.docshift.ledger.IntentReason;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.RepairOperation;
import io.docshift.ledger.RepairOutbox;
import io.docshift.ledger.RepairTicket;
import io.docshift.ledger.WriteStart;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything the write flows share: the stores, the ledger, the spool directory, the executor for
 * blocking work (parsing, hashing, JDBC), which never runs on an event loop, and the read path's
 * cache invalidation ({@code readCache}). {@code chunks} assembles {@code upload_large} on this
 * instance (Cloudinary-primary modes, where Cloudinary assembles and this only spares a read-back);
 * {@code sharedChunks} assembles across the fleet in the S3-primary modes (null when the S3 store
 * keeps no temporaries, e.g. a test double).
 */
record WriteContext(
    CloudinaryAccount account,
    CloudinaryApi api,
    DocumentStore cloudinary,
    DocumentStore s3,
    Documents documents,
    RepairOutbox outbox,
    MetricsRecorder metrics,
    Executor blocking,
    Path spoolDir,
    Clock clock,
    ChunkAssembler chunks,
    SharedChunks sharedChunks,
    UploadAuth auth,
    Consumer<LedgerKey> readCache) {
  /** How long a dual-write's intent stays hidden from the repair worker. */
  static final Duration INTENT_GRACE = Duration.ofMinutes(2);

  /**
   * A write changed {@code key}'s ledger row: drop what this instance's read path cached about it,
   * so the next read here routes by the new row (read-your-write at any S3 weight).
   */
  void written(DocumentKey key) {
    forget(LedgerKey.of(key));
  }

  /** Tells this instance's read cache that {@code key}'s ledger row changed. */
  void forget(LedgerKey key) {
    readCache.accept(key);
  }

  /** Runs blocking work off the event loop. */
  <T> CompletableFuture<T> blocking(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, blocking);
  }

  /** A put of {@code bytes} with both digests (S3 checks the SHA-256 itself). */
  static PutRequest put(FileRegion bytes, Digests digests, String mediaType) {
    return putBuilder(bytes, digests, mediaType).build();
  }

  /** The same, recording the version in the object's metadata. */
  static PutRequest put(FileRegion bytes, Digests digests, String mediaType, long version) {
    return putBuilder(bytes, digests, mediaType).cloudinaryVersion(version).build();
  }

  /** A put of {@code bytes} with both digests, to add a version or a condition to. */
  static PutRequest.Builder putBuilder(FileRegion bytes, Digests digests, String mediaType) {
    return PutRequest.builder(bytes.length(), bytes.publisher())
        .contentType(mediaType)
        .md5Hex(digests.md5())
        .sha256Hex(digests.sha256());
  }

  /**
   * Commits the repair intent of a Cloudinary-primary write to {@code key} before S3 is written: if
   * DocShift dies, the repair worker copies Cloudinary's version to S3 after the grace period, or
   * removes the S3 object named by the intent's reason ({@link IntentReason}) when Cloudinary holds
   * nothing.
   */
  RepairTicket intendPut(DocumentKey key) {
    return outbox.intend(
        LedgerKey.of(key), RepairOperation.PUT, IntentReason.dualWrite(key.format()), INTENT_GRACE);
  }

  /**
   * {@link #intendPut} and the read of {@code row}'s ledger row that the write settles against, in
   * one transaction: the one round trip a write whose key is named up front makes before a store.
   */
  WriteStart startPut(LedgerKey row, DocumentKey key) {
    return documents.startWrite(
        row, outbox, LedgerKey.of(key), IntentReason.dualWrite(key.format()), INTENT_GRACE);
  }

  /** The unwrapped cause of a failed future. */
  static Throwable cause(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Text for an outbox row or a log line. */
  static String describe(DocumentKey key, Throwable t) {
    Throwable c = cause(t);
    return key + ": " + c.getClass().getSimpleName() + ": " + c.getMessage();
  }
}
