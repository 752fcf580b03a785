package io.docshift.backfill;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Downloads originals to disk, hashing while they stream: from Cloudinary for the backfill and S3
 * repairs, from S3 for Cloudinary repairs (failures are classified against the source's backend).
 *
 * <p>Why spool at all: S3 wants the SHA-256 checksum ({@code x-amz-checksum-sha256}) and the {@code
 * sha256} metadata in the request headers, before the body, and the SHA-256 is only known once the
 * whole document went by; the alternatives are reading the document from Cloudinary twice or
 * storing objects without the SHA-256 the DESIGN contract requires. The spool also makes the upload
 * replayable, so a failed S3 put is retried without downloading again. Nothing is held in heap
 * beyond a few network buffers; each worker has at most one spool file at a time.
 */
final class Spool {
  private final Path dir;
  private final Duration timeout;

  Spool(Path dir, Duration timeout) {
    this.dir = dir;
    this.timeout = timeout;
  }

  /**
   * Downloads {@code key} from {@code source} into a new spool file.
   *
   * @throws StoreException classified: from the store, a timeout, or a local disk failure
   */
  Spooled fetch(DocumentStore source, DocumentKey key) throws InterruptedException {
    Path file = create(key);
    try {
      DocumentResponse response =
          Waits.await(source.get(key, Optional.empty()), timeout, source.backend(), key);
      HashingSink sink = new HashingSink(FileChannel.open(file, StandardOpenOption.WRITE));
      response.body().subscribe(sink);
      long length = awaitBody(sink, key, source.backend());
      return new Spooled(file, length, sink.md5Hex(), sink.sha256Hex(), response.meta());
    } catch (IOException e) {
      deleteQuietly(file);
      throw local(key, e);
    } catch (RuntimeException | InterruptedException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  private long awaitBody(HashingSink sink, DocumentKey key, Backend backend)
      throws InterruptedException {
    CompletableFuture<Long> done = sink.done();
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

  private Path create(DocumentKey key) {
    try {
      Files.createDirectories(dir);
      return Files.createTempFile(dir, "docshift-backfill-", ".spool");
    } catch (IOException e) {
      throw local(key, e);
    }
  }

  private static StoreException local(DocumentKey key, Exception e) {
    return new StoreException(
        Backend.CLOUDINARY, Outcome.LOCAL_ERROR, "spool " + key + ": " + e, e);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // Best effort: the file is in the spool directory and holds a copy of public bytes at most.
    }
  }
}
