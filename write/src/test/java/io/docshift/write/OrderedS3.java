package io.docshift.write;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real S3 store whose calls a test orders against another writer's: the next put can be handed to
 * a hook (which decides when and what reaches S3), puts can wait for a future, and the first HEAD
 * is announced. Everything else goes straight to the store.
 */
final class OrderedS3 implements DocumentStore {
  /** Takes over one put. */
  @FunctionalInterface
  interface PutHook {
    CompletableFuture<PutResult> put(DocumentKey key, PutRequest request);
  }

  private final DocumentStore delegate;
  private final AtomicReference<PutHook> nextPut = new AtomicReference<>();
  private final CompletableFuture<Void> headed = new CompletableFuture<>();
  private final AtomicInteger puts = new AtomicInteger();
  private volatile CompletableFuture<Void> putGate = CompletableFuture.completedFuture(null);

  OrderedS3(DocumentStore delegate) {
    this.delegate = delegate;
  }

  /** The next put goes to {@code hook} instead of the store. */
  void onNextPut(PutHook hook) {
    nextPut.set(hook);
  }

  /** Puts reach the store only once {@code gate} completed. */
  void holdPutsUntil(CompletableFuture<Void> gate) {
    putGate = gate;
  }

  /** Completes once this store answered a HEAD. */
  CompletableFuture<Void> headed() {
    return headed;
  }

  /** Counts the puts asked of this store from now on. */
  AtomicInteger countPuts() {
    puts.set(0);
    return puts;
  }

  @Override
  public Backend backend() {
    return delegate.backend();
  }

  @Override
  public CompletableFuture<DocumentMeta> head(DocumentKey key) {
    return delegate.head(key).whenComplete((m, t) -> headed.complete(null));
  }

  @Override
  public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    return delegate.get(key, range);
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    puts.incrementAndGet();
    PutHook hook = nextPut.getAndSet(null);
    if (hook != null) {
      return hook.put(key, request).orTimeout(30, TimeUnit.SECONDS);
    }
    return putGate.orTimeout(30, TimeUnit.SECONDS).thenCompose(x -> delegate.put(key, request));
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    return delegate.delete(key);
  }

  @Override
  public CompletableFuture<Void> recordVersion(
      DocumentKey key, DocumentMeta current, long version) {
    return delegate.recordVersion(key, current, version);
  }

  @Override
  public void close() {
    // The test closes the store it wraps.
  }
}
