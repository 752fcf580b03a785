package io.docshift.backfill;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits on store futures, for worker threads: classified failures, bounded time. */
final class Waits {
  private Waits() {}

  /**
   * The future's value; its failure as a {@link StoreException}, a timeout as a classified one. The
   * future is cancelled when the wait gives up.
   */
  static <T> T await(CompletableFuture<T> future, Duration timeout, Backend backend, Object what)
      throws InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw StoreException.wrap(backend, "call", what, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      Outcome outcome = backend == Backend.S3 ? Outcome.S3_TIMEOUT : Outcome.CLOUDINARY_TIMEOUT;
      throw new StoreException(backend, outcome, what + ": timed out", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    }
  }
}
