package io.docshift.read;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One read's Cloudinary request, started at most once: by the hedge (S3 is slow) or by the fallback
 * (S3 failed), whichever needs it first, so a read never asks Cloudinary twice. Whoever does not
 * use its answer {@link #abandon()}s it, which releases the answer when it arrives.
 */
final class SecondaryRead<T> implements Supplier<CompletableFuture<T>> {
  private final Supplier<CompletableFuture<T>> start;
  private final Consumer<T> release;
  private CompletableFuture<T> started;
  private boolean abandoned;

  SecondaryRead(Supplier<CompletableFuture<T>> start, Consumer<T> release) {
    this.start = start;
    this.release = release;
  }

  /** The request, started now unless it already was. */
  @Override
  public synchronized CompletableFuture<T> get() {
    if (started == null) {
      started = start.get();
    }
    return started;
  }

  /** Nobody serves the answer: released when it arrives (nothing when never started). */
  void abandon() {
    CompletableFuture<T> request;
    synchronized (this) {
      abandoned = true;
      request = started;
    }
    if (request != null) {
      request.thenAccept(release);
    }
  }

  synchronized boolean abandoned() {
    return abandoned;
  }
}
