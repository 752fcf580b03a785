package io.docshift.shadow;

import io.docshift.core.digest.BodyHasher;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One whole read of an original from a store, checksummed while it streams ({@link BodyHasher}:
 * CRC-32C, plus MD5 when the result may become evidence), within a deadline that covers the
 * response and the entire body. A store that does not hold the document is an answer ({@link
 * ReadSummary#notFound()}), not a failure. At the deadline the body is cancelled (or a late
 * response discarded) so no connection stays held, and the result fails with the store's timeout
 * outcome.
 */
final class ShadowFetch {
  private ShadowFetch() {}

  static CompletableFuture<ReadSummary> read(
      DocumentStore store,
      DocumentKey key,
      boolean md5,
      Duration timeout,
      ScheduledExecutorService timer) {
    CompletableFuture<ReadSummary> result = new CompletableFuture<>();
    AtomicReference<BodyHasher> body = new AtomicReference<>();
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> expire(store.backend(), key, timeout, body.get(), result),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    result.whenComplete((summary, failure) -> deadline.cancel(false));
    CompletableFuture<DocumentResponse> response;
    try {
      response = store.get(key, Optional.empty());
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return result;
    }
    response.whenComplete(
        (r, failure) -> {
          if (failure != null) {
            failed(store.backend(), key, failure, result);
          } else {
            stream(r, md5 ? BodyHasher.withMd5() : BodyHasher.checksum(), body, result);
          }
        });
    return result;
  }

  private static void stream(
      DocumentResponse response,
      BodyHasher hasher,
      AtomicReference<BodyHasher> body,
      CompletableFuture<ReadSummary> result) {
    if (result.isDone()) {
      response.discard(); // too late: release the connection
      return;
    }
    body.set(hasher);
    hasher
        .done()
        .whenComplete(
            (d, failure) -> {
              if (failure != null) {
                result.completeExceptionally(failure);
              } else {
                result.complete(ReadSummary.body(d.length(), response.meta().contentType(), d));
              }
            });
    response.body().subscribe(hasher);
    if (result.isDone()) {
      hasher.cancel(new IllegalStateException("shadow read expired")); // the deadline raced us
    }
  }

  private static void failed(
      Backend backend, DocumentKey key, Throwable failure, CompletableFuture<ReadSummary> result) {
    StoreException e = StoreException.wrap(backend, "shadow get", key, failure);
    if (e.outcome() == Outcome.NOT_FOUND) {
      result.complete(ReadSummary.notFound());
    } else {
      result.completeExceptionally(e);
    }
  }

  private static void expire(
      Backend backend,
      DocumentKey key,
      Duration timeout,
      BodyHasher hasher,
      CompletableFuture<ReadSummary> result) {
    StoreException e =
        new StoreException(
            backend,
            backend == Backend.S3 ? Outcome.S3_TIMEOUT : Outcome.CLOUDINARY_TIMEOUT,
            "shadow read of " + key + " took longer than " + timeout.toMillis() + " ms",
            null);
    if (result.completeExceptionally(e) && hasher != null) {
      hasher.cancel(e);
    }
  }
}
