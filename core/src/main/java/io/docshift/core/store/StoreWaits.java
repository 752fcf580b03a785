package io.docshift.core.store;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking waits on store futures, for worker threads (backfill, repair, verify), never event
 * loops: bounded in time, failures classified.
 */
public final class StoreWaits {
  private StoreWaits() {}

  /**
   * The future's value; its failure as a {@link StoreException}, a timeout as a classified one. The
   * future is cancelled when the wait gives up (timeout or interrupt).
   *
   * @param what names the call in messages, e.g. a document key
   */
  public static <T> T await(
      CompletableFuture<T> future, Duration timeout, Backend backend, Object what)
      throws InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw StoreException.wrap(backend, "call", what, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      Outcome outcome = backend == Backend.S3 ? Outcome.S3_TIMEOUT : Outcome.CLOUDINARY_TIMEOUT;
      throw new StoreException(backend, outcome, what + ": no answer in " + timeout, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    }
  }
}
