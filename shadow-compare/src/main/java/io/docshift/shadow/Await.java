package io.docshift.shadow;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits on store futures for the verify workers: bounded, failures classified. */
final class Await {
  private Await() {}

  static <T> T value(CompletableFuture<T> future, Duration timeout, Backend backend, Object what)
      throws InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw StoreException.wrap(backend, "verify", what, e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      Outcome outcome = backend == Backend.S3 ? Outcome.S3_TIMEOUT : Outcome.CLOUDINARY_TIMEOUT;
      throw new StoreException(backend, outcome, what + ": no answer in " + timeout, e);
    }
  }
}
