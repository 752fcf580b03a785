package io.docshift.core.write;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs asynchronous work one at a time per key, in arrival order: concurrent uploads of one
 * public_id through this instance then reach both stores and the ledger in the same order, so the
 * last acknowledged write is the one both stores keep. (Writers on other instances still race;
 * their overlap leaves a due repair row, see {@code RepairOutbox#settle}.) Keys with nothing queued
 * hold no memory.
 */
final class KeyedQueue {
  private final ConcurrentHashMap<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();
  private final Executor executor;

  /**
   * @param executor where queued work starts, so it never starts on the thread (perhaps an event
   *     loop) that completed the work before it
   */
  KeyedQueue(Executor executor) {
    this.executor = executor;
  }

  /** Starts {@code work} once every earlier work of {@code key} has finished, however it ended. */
  <T> CompletableFuture<T> run(String key, Supplier<CompletableFuture<T>> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<?> previous = tails.put(key, result);
    CompletableFuture<?> before =
        previous == null ? CompletableFuture.completedFuture(null) : previous;
    before
        .handle((x, t) -> null)
        .thenComposeAsync(x -> work.get(), executor)
        .whenComplete(
            (value, t) -> {
              tails.remove(key, result);
              if (t != null) {
                result.completeExceptionally(t);
              } else {
                result.complete(value);
              }
            });
    return result;
  }

  /** Keys with queued or running work (for tests). */
  int size() {
    return tails.size();
  }
}
