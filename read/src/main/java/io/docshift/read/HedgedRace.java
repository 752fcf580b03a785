package io.docshift.read;

import io.docshift.core.metrics.HedgeOutcome;
import io.docshift.core.outcome.Backend;
import io.netty.util.Timeout;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One hedged read: S3 is asked; if it has no answer (response head) when the hedge delay ends and
 * the budget allows, Cloudinary is asked too ({@link SecondaryRead}), and the first success serves.
 * Nothing has reached the client before that, so either answer may serve; the loser's answer is
 * released when it arrives (its body cancelled, so its connection is closed or returned): the
 * stores cannot cancel a request still waiting for its head.
 *
 * <ul>
 *   <li>S3 answers first: it serves; a hedge's Cloudinary answer is released ({@code s3_won}).
 *   <li>Cloudinary answers first: it serves as Cloudinary's read ({@code cloudinary_won}); S3's
 *       late answer is released. A later S3 failure is still S3's fault: {@code lostLate} is told.
 *   <li>S3 fails first: the result fails with S3's failure, and the fallback takes the same
 *       Cloudinary request instead of starting another ({@code cloudinary_won} or {@code
 *       both_failed} once it ends).
 *   <li>Cloudinary fails first: S3 is waited for, as without a hedge.
 * </ul>
 */
final class HedgedRace<T> {
  private final Hedging hedging;
  private final SecondaryRead<T> cloudinary;
  private final Consumer<T> release;
  private final Consumer<Throwable> lostLate;
  private final CompletableFuture<Served<T>> result = new CompletableFuture<>();
  private boolean hedged; // guarded by this

  HedgedRace(
      Hedging hedging,
      SecondaryRead<T> cloudinary,
      Consumer<T> release,
      Consumer<Throwable> lostLate) {
    this.hedging = hedging;
    this.cloudinary = cloudinary;
    this.release = release;
    this.lostLate = lostLate;
  }

  CompletableFuture<Served<T>> start(Supplier<CompletableFuture<T>> s3) {
    long started = hedging.now();
    Timeout delay = hedging.afterDelay(this::hedge);
    s3.get()
        .whenComplete(
            (value, failure) -> {
              delay.cancel();
              if (failure == null) {
                hedging.answered(hedging.now() - started);
                s3Served(value);
              } else {
                s3Failed(failure);
              }
            });
    return result;
  }

  private void hedge() {
    CompletableFuture<T> asked;
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      // Started under the lock: an S3 answer right after must find it started, to release it.
      hedged = hedging.tryHedge();
      asked = hedged ? cloudinary.get() : null;
    }
    if (asked == null) {
      hedging.count(HedgeOutcome.OVER_BUDGET);
      return;
    }
    asked.whenComplete(
        (value, failure) -> {
          if (failure == null && result.complete(Served.by(Backend.CLOUDINARY, value))) {
            hedging.count(HedgeOutcome.CLOUDINARY_WON);
          }
        });
  }

  private void s3Served(T value) {
    if (!result.complete(Served.by(Backend.S3, value))) {
      release.accept(value); // Cloudinary served
      return;
    }
    if (wasHedged()) {
      hedging.count(HedgeOutcome.S3_WON);
      cloudinary.abandon();
    }
  }

  private void s3Failed(Throwable failure) {
    if (!result.completeExceptionally(failure)) {
      lostLate.accept(failure); // Cloudinary served, then S3 failed after all
      return;
    }
    if (wasHedged()) {
      // The fallback has taken the hedge's request (or abandoned it, serving S3's client error).
      cloudinary
          .get()
          .whenComplete(
              (value, f) ->
                  hedging.count(
                      cloudinary.abandoned()
                          ? HedgeOutcome.S3_WON
                          : f == null ? HedgeOutcome.CLOUDINARY_WON : HedgeOutcome.BOTH_FAILED));
    }
  }

  private synchronized boolean wasHedged() {
    return hedged;
  }
}
