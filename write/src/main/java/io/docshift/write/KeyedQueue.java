package io.docshift.write;

import io.docshift.core.store.DocumentTurns;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs asynchronous work one at a time per key, in arrival order: concurrent uploads, destroys,
 * renames and deletes of one public_id through this instance then reach both stores and the ledger
 * in the same order, so the last acknowledged operation is the one both stores and the ledger keep.
 * Work on several documents (a rename, a bulk delete by id) holds all their keys, taken in one
 * fixed order so two such calls never wait on each other. (Writers on other instances still race;
 * their overlap leaves a due repair row, see {@code RepairOutbox#settle}.) Keys with nothing queued
 * hold no memory.
 */
final class KeyedQueue implements DocumentTurns {
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

  /**
   * Starts {@code work} once it holds every one of {@code keys}: each is taken in sorted order (the
   * fixed order that rules out a deadlock between two multi-key calls) and held until {@code work}
   * finished. With no key, {@code work} starts at once on the calling thread.
   */
  <T> CompletableFuture<T> runAll(Collection<String> keys, Supplier<CompletableFuture<T>> work) {
    return nested(new ArrayList<>(new TreeSet<>(keys)), 0, work);
  }

  private <T> CompletableFuture<T> nested(
      List<String> keys, int next, Supplier<CompletableFuture<T>> work) {
    if (next == keys.size()) {
      return work.get();
    }
    return run(keys.get(next), () -> nested(keys, next + 1, work));
  }

  /**
   * Holds the document's place in this queue from a blocking thread (the repair worker's): the turn
   * is queued work that ends when the turn is closed.
   */
  @Override
  public Turn await(String resourceType, String type, String publicId) throws InterruptedException {
    CompletableFuture<Void> held = new CompletableFuture<>();
    CompletableFuture<Void> ours = new CompletableFuture<>();
    CompletableFuture<Void> queued =
        run(
            documentKey(resourceType, type, publicId),
            () -> {
              ours.complete(null);
              return held;
            });
    try {
      CompletableFuture.anyOf(ours, queued).get();
    } catch (InterruptedException e) {
      held.complete(null); // the turn, when it comes, ends at once
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("document turn not taken", e.getCause());
    }
    return () -> held.complete(null);
  }

  /**
   * The queue key of one document: uploads, destroys, renames and deletes of it must agree on it.
   * An absent delivery type is {@code upload}, as Cloudinary reads it.
   */
  static String documentKey(String resourceType, String type, String publicId) {
    return resourceType + "/" + (type == null || type.isEmpty() ? "upload" : type) + "/" + publicId;
  }

  /**
   * The queue keys an upload holds. An {@code auto} upload's resource type is known only once
   * Cloudinary (or the sniffed format) resolved it, so it holds the id under every type it may
   * resolve to: it waits for a destroy, rename or delete of that id queued under any of them.
   */
  static List<String> uploadKeys(String resourceType, String type, String publicId) {
    if (!"auto".equals(resourceType)) {
      return List.of(documentKey(resourceType, type, publicId));
    }
    return List.of(
        documentKey("image", type, publicId),
        documentKey("video", type, publicId),
        documentKey("raw", type, publicId));
  }

  /** Keys with queued or running work (for tests). */
  int size() {
    return tails.size();
  }
}
