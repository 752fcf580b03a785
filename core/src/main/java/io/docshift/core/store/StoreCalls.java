package io.docshift.core.store;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs one backend call so that every failure reaches the caller the same way: the returned future
 * completes exceptionally with a classified {@link StoreException} (directly, not wrapped in a
 * {@code CompletionException}), whether the call threw synchronously or failed its future.
 */
public final class StoreCalls {
  private StoreCalls() {}

  /**
   * @param what names the target in messages (a key); never used as a metric tag
   */
  public static <T> CompletableFuture<T> classified(
      Backend backend, String operation, Object what, Supplier<CompletableFuture<T>> call) {
    requireNonNull(backend, "backend");
    requireNonNull(operation, "operation");
    requireNonNull(call, "call");
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<T> started;
    try {
      started = call.get();
    } catch (RuntimeException e) {
      result.completeExceptionally(StoreException.wrap(backend, operation, what, e));
      return result;
    }
    started.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(StoreException.wrap(backend, operation, what, failure));
          }
        });
    return result;
  }

  /**
   * {@code call} bounded in total: when it has not completed within {@code total}, the result fails
   * with a {@link TimeoutException} (classified as the backend's timeout) and {@code call} is
   * cancelled, which aborts a JDK {@code HttpClient} exchange and frees its connection. A header
   * timeout alone lets a store that answers and then trickles its body hold the call for ever.
   */
  public static <T> CompletableFuture<T> within(CompletableFuture<T> call, Duration total) {
    requireNonNull(call, "call");
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(total.toNanos(), TimeUnit.NANOSECONDS)
        .execute(
            () -> {
              String message = "not done within a total of " + total.toMillis() + " ms";
              if (result.completeExceptionally(new TimeoutException(message))) {
                call.cancel(true);
              }
            });
    call.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(failure);
          }
        });
    return result;
  }
}
