package io.docshift.proxy.graphql;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.StoreException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * S3 HEADs for a batch of documents, at most {@code parallelism} in flight: S3 has no batch HEAD,
 * and a folder of hundreds must not open hundreds of connections at once.
 */
final class S3Heads {
  private final DocumentStore s3;
  private final int parallelism;

  S3Heads(DocumentStore s3, int parallelism) {
    this.s3 = s3;
    this.parallelism = parallelism;
  }

  /** Each key's metadata; empty for the ones S3 does not hold. */
  CompletableFuture<Map<DocumentKey, Optional<DocumentMeta>>> head(
      List<DocumentKey> keys, Runnable onHead) {
    Map<DocumentKey, Optional<DocumentMeta>> found = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    CompletableFuture<?>[] lanes = new CompletableFuture<?>[Math.min(parallelism, keys.size())];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = lane(keys, next, found, onHead);
    }
    return CompletableFuture.allOf(lanes).thenApply(done -> new HashMap<>(found));
  }

  /** One lane: takes the next key when its previous HEAD is done, until none is left. */
  private CompletableFuture<Void> lane(
      List<DocumentKey> keys,
      AtomicInteger next,
      Map<DocumentKey, Optional<DocumentMeta>> found,
      Runnable onHead) {
    int index = next.getAndIncrement();
    if (index >= keys.size()) {
      return CompletableFuture.completedFuture(null);
    }
    DocumentKey key = keys.get(index);
    onHead.run();
    return s3.head(key)
        .handle(
            (meta, failure) -> {
              found.put(key, meta != null ? Optional.of(meta) : absentOrThrow(failure));
              return null;
            })
        .thenCompose(done -> lane(keys, next, found, onHead));
  }

  private static Optional<DocumentMeta> absentOrThrow(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof StoreException e && e.outcome() == Outcome.NOT_FOUND) {
      return Optional.empty();
    }
    throw failure instanceof CompletionException c ? c : new CompletionException(failure);
  }
}
