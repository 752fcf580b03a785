package io.docshift.copier;

import io.docshift.core.digest.BodyHasher;
import io.docshift.core.digest.Digests;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import io.docshift.core.store.StoreWaits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads originals, hashing while they stream: from Cloudinary for the backfill and S3 repairs,
 * from S3 for Cloudinary repairs (failures are classified against the source's backend).
 *
 * <p>Why spool at all: S3 wants the SHA-256 checksum ({@code x-amz-checksum-sha256}) and the {@code
 * sha256} metadata in the request headers, before the body, and the SHA-256 is only known once the
 * whole document went by; the alternatives are reading the document from Cloudinary twice or
 * storing objects without the SHA-256 the S3 contract requires. The spool also makes the upload
 * replayable, so a failed S3 put is retried without downloading again.
 *
 * <p>Where: a document whose response declares its length is held in heap when that length fits in
 * what is left of a byte budget shared by every worker ({@code memoryBytes}); anything else
 * (larger, of unknown length, or while the budget is in use) goes to a file in the spool directory.
 * Memory stays bounded by the budget whatever the document sizes, and the common small document
 * never touches the disk. Each worker has at most one spool at a time.
 */
public final class Spool {
  private final Path dir;
  private final Semaphore memory;
  private final Duration timeout;

  /**
   * @param memoryBytes the heap all spools together may hold; 0 spools every document to disk
   */
  public Spool(Path dir, int memoryBytes, Duration timeout) {
    this.dir = dir;
    this.memory = new Semaphore(memoryBytes);
    this.timeout = timeout;
  }

  /**
   * Downloads {@code key} from {@code source} into a new spool.
   *
   * @throws StoreException classified: from the store, a timeout, or a local disk failure
   */
  public Spooled fetch(DocumentStore source, DocumentKey key) throws InterruptedException {
    DocumentResponse response =
        StoreWaits.await(source.get(key, Optional.empty()), timeout, source.backend(), key);
    SpoolBuffer buffer;
    try {
      buffer = buffer(response.bodyLength());
    } catch (IOException e) {
      response.discard();
      throw local(key, e);
    }
    try {
      BodyHasher sink = BodyHasher.spooling(buffer::write);
      response.body().subscribe(sink);
      Digests digests = awaitBody(sink, key, source.backend());
      finish(buffer, key);
      return new Spooled(
          buffer, digests.length(), digests.md5(), digests.sha256(), response.meta());
    } catch (RuntimeException | InterruptedException e) {
      buffer.close();
      throw e;
    }
  }

  private SpoolBuffer buffer(OptionalLong length) throws IOException {
    if (length.isPresent()
        && length.getAsLong() <= Integer.MAX_VALUE
        && memory.tryAcquire((int) length.getAsLong())) {
      return new MemorySpoolBuffer((int) length.getAsLong(), memory);
    }
    return FileSpoolBuffer.create(dir);
  }

  private static void finish(SpoolBuffer buffer, DocumentKey key) {
    try {
      buffer.finish();
    } catch (IOException e) {
      throw local(key, e);
    }
  }

  private Digests awaitBody(BodyHasher sink, DocumentKey key, Backend backend)
      throws InterruptedException {
    CompletableFuture<Digests> done = sink.done();
    try {
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      sink.cancel(e);
      Outcome timedOut = backend == Backend.S3 ? Outcome.S3_TIMEOUT : Outcome.CLOUDINARY_TIMEOUT;
      throw new StoreException(backend, timedOut, "download " + key + " timed out", e);
    } catch (InterruptedException e) {
      sink.cancel(e);
      throw e;
    } catch (ExecutionException e) {
      throw StoreException.wrap(backend, "download", key, e.getCause());
    }
  }

  private static StoreException local(DocumentKey key, Exception e) {
    return new StoreException(
        Backend.CLOUDINARY, Outcome.LOCAL_ERROR, "spool " + key + ": " + e, e);
  }
}
