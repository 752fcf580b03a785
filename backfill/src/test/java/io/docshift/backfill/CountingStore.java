package io.docshift.backfill;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A decorator (not a mock) over a real store that counts successful puts per key and can run a hook
 * before each put, e.g. to simulate a crash or a concurrent dual-write at that moment. Once {@link
 * #kill() killed}, it writes nothing more: puts and deletes fail, as a dead process makes none.
 */
final class CountingStore implements DocumentStore {
  private final DocumentStore delegate;
  private final Map<DocumentKey, AtomicInteger> puts = new ConcurrentHashMap<>();
  private final AtomicInteger heads = new AtomicInteger();
  private volatile Consumer<DocumentKey> beforePut = key -> {};
  private volatile boolean killed;

  CountingStore(DocumentStore delegate) {
    this.delegate = delegate;
  }

  void beforePut(Consumer<DocumentKey> hook) {
    this.beforePut = hook;
  }

  /** From now on every put and delete fails before it reaches the store. */
  void kill() {
    killed = true;
  }

  int puts(DocumentKey key) {
    AtomicInteger count = puts.get(key);
    return count == null ? 0 : count.get();
  }

  Map<DocumentKey, AtomicInteger> allPuts() {
    return puts;
  }

  /** HEADs asked of the store so far. */
  int heads() {
    return heads.get();
  }

  int totalPuts() {
    return puts.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  @Override
  public Backend backend() {
    return delegate.backend();
  }

  @Override
  public CompletableFuture<DocumentMeta> head(DocumentKey key) {
    heads.incrementAndGet();
    return delegate.head(key);
  }

  @Override
  public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    return delegate.get(key, range);
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    beforePut.accept(key);
    if (killed) {
      return CompletableFuture.failedFuture(new IllegalStateException("killed before put " + key));
    }
    return delegate
        .put(key, request)
        .whenComplete(
            (result, failure) -> {
              if (failure == null) {
                puts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
              }
            });
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    if (killed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("killed before delete " + key));
    }
    return delegate.delete(key);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
