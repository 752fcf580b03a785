package io.docshift.read;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads from S3 and, when S3 fails before its response starts, from Cloudinary instead: S3 not
 * found, 5xx, throttling, connect failures, bad credentials, and no response headers within the
 * first-byte timeout. The client never sees the S3 failure; {@link FallbackListener} is told (it
 * counts and queues a repair) once Cloudinary has answered. A client error (an unsatisfiable range)
 * is not retried: Cloudinary would refuse it too. When Cloudinary has no such document either, the
 * document (verified in S3 by the ledger) exists only in S3: the client gets S3's failure (502,
 * 504), not a false 404, and no repair from Cloudinary is queued, since that repair would find
 * Cloudinary empty and tombstone the document. The S3 failure is still counted for auto-revert, as
 * every response S3 answered is.
 *
 * <p>A response that arrives after the timeout was declared is discarded, so its pooled connection
 * is released. The timeout runs on a shared {@link Timer} (a hashed wheel: adding and cancelling
 * one per read is cheap), never on {@code CompletableFuture.delayedExecutor}, whose default pool
 * starts a new thread per task on a machine with fewer than three cores. Failures after the
 * response started (in the body) are not retried here: bytes may already be on their way to the
 * client; {@link FailoverBody} continues such a body from Cloudinary where the ledger allows.
 *
 * <p>With {@link Hedging} on, a slow S3 read also asks Cloudinary before S3 failed; the fallback
 * then reuses that request rather than asking Cloudinary a second time.
 */
final class FallbackReadStore implements RoutedDocumentStore {
  private final DocumentStore s3;
  private final DocumentStore cloudinary;
  private final Duration firstByteTimeout;
  private final FallbackListener listener;
  private final S3OnlyCopies s3Only;
  private final Timer timer;
  private final Hedging hedging;

  /**
   * With S3's reads hedged by Cloudinary's as {@code hedging} says ({@link Hedging#off()}: none).
   */
  FallbackReadStore(
      DocumentStore s3,
      DocumentStore cloudinary,
      Duration firstByteTimeout,
      FallbackListener listener,
      S3OnlyCopies s3Only,
      Timer timer,
      Hedging hedging) {
    this.s3 = s3;
    this.cloudinary = cloudinary;
    this.firstByteTimeout = firstByteTimeout;
    this.listener = listener;
    this.s3Only = s3Only;
    this.timer = timer;
    this.hedging = hedging;
  }

  @Override
  public Backend backend() {
    return Backend.S3;
  }

  @Override
  public CompletableFuture<Served<DocumentMeta>> headServed(DocumentKey key) {
    return withFallback(key, () -> s3.head(key), meta -> {}, () -> cloudinary.head(key));
  }

  @Override
  public CompletableFuture<Served<DocumentResponse>> getServed(
      DocumentKey key, Optional<ByteRange> range) {
    return withFallback(
        key, () -> s3.get(key, range), DocumentResponse::discard, () -> cloudinary.get(key, range));
  }

  private <T> CompletableFuture<Served<T>> withFallback(
      DocumentKey key,
      Supplier<CompletableFuture<T>> primary,
      Consumer<T> late,
      Supplier<CompletableFuture<T>> secondary) {
    CompletableFuture<Served<T>> result = new CompletableFuture<>();
    // One Cloudinary request per read, whether a hedge or this fallback starts it.
    SecondaryRead<T> cloudinaryRead = new SecondaryRead<>(secondary, late);
    hedging
        .race(() -> bounded(key, primary.get(), late), cloudinaryRead, late, f -> lost(key, f))
        .whenComplete(
            (served, failure) -> {
              if (failure == null) {
                result.complete(served);
                return;
              }
              StoreException e = StoreException.wrap(Backend.S3, "read", key, failure);
              if (e.outcome() == Outcome.CLIENT_ERROR) {
                cloudinaryRead.abandon();
                result.completeExceptionally(e);
                return;
              }
              cloudinaryRead
                  .get()
                  .whenComplete(
                      (v, f) -> {
                        if (f == null) {
                          listener.fellBack(key, e.outcome());
                          result.complete(
                              new Served<>(v, Backend.CLOUDINARY, Optional.of(e.outcome())));
                        } else if (OutcomeClassifier.classify(Backend.CLOUDINARY, f)
                            == Outcome.NOT_FOUND) {
                          cloudinaryLacks(key, e, f, result);
                        } else {
                          listener.fellBack(key, e.outcome());
                          result.completeExceptionally(
                              StoreException.wrap(Backend.CLOUDINARY, "read", key, f));
                        }
                      });
            });
    return result;
  }

  /** S3 failed after a hedge's Cloudinary answer served: counted as the fallback it would be. */
  private void lost(DocumentKey key, Throwable failure) {
    Outcome outcome = StoreException.wrap(Backend.S3, "read", key, failure).outcome();
    if (outcome != Outcome.CLIENT_ERROR) {
      listener.fellBack(key, outcome);
    }
  }

  /**
   * S3 failed and Cloudinary says 404. For a document only S3 holds, a 404 would be false, and a
   * repair from Cloudinary would find it empty and tombstone the only copy: S3's own failure is the
   * answer (502, 504). Otherwise Cloudinary's 404 stands, and the repair cleans S3 up.
   */
  private <T> void cloudinaryLacks(
      DocumentKey key, StoreException s3Failure, Throwable notFound, CompletableFuture<T> result) {
    s3Only
        .onlyInS3(key)
        .thenAccept(
            only -> {
              if (only) {
                result.completeExceptionally(s3Failure);
              } else {
                listener.fellBack(key, s3Failure.outcome());
                result.completeExceptionally(
                    StoreException.wrap(Backend.CLOUDINARY, "read", key, notFound));
              }
            });
  }

  /**
   * {@code attempt}, or an {@code S3_TIMEOUT} after the first-byte timeout; a value that arrives
   * too late goes to {@code late} (which releases it).
   */
  private <T> CompletableFuture<T> bounded(
      DocumentKey key, CompletableFuture<T> attempt, Consumer<T> late) {
    CompletableFuture<T> raced = new CompletableFuture<>();
    Timeout deadline =
        timer.newTimeout(
            t ->
                raced.completeExceptionally(
                    new StoreException(
                        Backend.S3,
                        Outcome.S3_TIMEOUT,
                        "s3 read "
                            + key
                            + ": no response within "
                            + firstByteTimeout.toMillis()
                            + " ms",
                        null)),
            firstByteTimeout.toNanos(),
            TimeUnit.NANOSECONDS);
    attempt.whenComplete(
        (value, failure) -> {
          deadline.cancel();
          if (failure != null) {
            raced.completeExceptionally(failure);
          } else if (!raced.complete(value)) {
            late.accept(value);
          }
        });
    return raced;
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    return s3.put(key, request);
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    return s3.delete(key);
  }

  /** The S3 path has no removal rule of its own: the router in front of it applies it. */
  @Override
  public CompletableFuture<Boolean> removedInS3Only(DocumentKey key) {
    return CompletableFuture.completedFuture(false);
  }

  /** The stores belong to the composition ({@link ReadStores}), which closes them. */
  @Override
  public void close() {}
}
