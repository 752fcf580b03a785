package io.docshift.backfill;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A decorator (not a mock) over a real store that counts successful puts per key, can break puts
 * mid-body and can run a hook before each put or HEAD, e.g. to simulate a crash or a concurrent
 * dual-write at that moment. Once {@link #kill() killed}, it writes nothing more: puts and deletes
 * fail, as a dead process makes none.
 */
final class CountingStore implements DocumentStore {
  private final DocumentStore delegate;
  private final Map<DocumentKey, AtomicInteger> puts = new ConcurrentHashMap<>();
  private final AtomicInteger heads = new AtomicInteger();
  private volatile Consumer<DocumentKey> beforePut = key -> {};
  private volatile Consumer<DocumentKey> beforeHead = key -> {};
  private final AtomicInteger failingPuts = new AtomicInteger();
  private volatile boolean killed;

  CountingStore(DocumentStore delegate) {
    this.delegate = delegate;
  }

  void beforePut(Consumer<DocumentKey> hook) {
    this.beforePut = hook;
  }

  /** Runs {@code hook} before each HEAD reaches the store, e.g. another instance's write. */
  void beforeHead(Consumer<DocumentKey> hook) {
    this.beforeHead = hook;
  }

  /**
   * The next {@code n} puts break after the first buffer of their body went out, as an S3 5xx (a
   * connection reset mid-upload looks the same to the copier).
   */
  void failPuts(int n) {
    failingPuts.set(n);
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
    beforeHead.accept(key);
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
    if (failingPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return breakAfterFirstBuffer(key, request);
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

  private static CompletableFuture<PutResult> breakAfterFirstBuffer(
      DocumentKey key, PutRequest request) {
    CompletableFuture<PutResult> failed = new CompletableFuture<>();
    // Quotes the key as the real stores' errors do, so the log canary sees what they would log.
    StoreException reset =
        new StoreException(Backend.S3, Outcome.S3_5XX, "s3 put " + key + ": injected reset", null);
    request
        .body()
        .subscribe(
            new Subscriber<ByteBuffer>() {
              private Subscription subscription;

              @Override
              public void onSubscribe(Subscription s) {
                subscription = s;
                s.request(1);
              }

              @Override
              public void onNext(ByteBuffer buffer) {
                subscription.cancel();
                failed.completeExceptionally(reset);
              }

              @Override
              public void onError(Throwable t) {
                failed.completeExceptionally(reset);
              }

              @Override
              public void onComplete() {
                failed.completeExceptionally(reset);
              }
            });
    return failed;
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
