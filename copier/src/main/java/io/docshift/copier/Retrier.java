package io.docshift.copier;

import io.docshift.core.retry.Backoff;
import io.docshift.core.retry.Sleeper;
import io.docshift.core.store.StoreException;

/**
 * Runs a step of a copy until it succeeds, fails permanently, or runs out of attempts; transient
 * failures wait per {@link Backoff} through the injected {@link Sleeper}.
 */
public final class Retrier {
  /** One try; {@code lastAttempt} lets a step accept a doubtful result rather than fail. */
  @FunctionalInterface
  public interface Step<T> {
    T run(boolean lastAttempt) throws CopyFailure, InterruptedException;
  }

  private final int maxAttempts;
  private final Backoff backoff;
  private final Sleeper sleeper;

  public Retrier(int maxAttempts, Backoff backoff, Sleeper sleeper) {
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.sleeper = sleeper;
  }

  public <T> T run(Step<T> step) throws CopyFailure, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt >= maxAttempts;
      try {
        return step.run(last);
      } catch (StoreException e) {
        CopyFailure failure = CopyFailure.of(e);
        if (!failure.transientFailure() || last) {
          throw failure;
        }
      } catch (CopyFailure failure) {
        if (!failure.transientFailure() || last) {
          throw failure;
        }
      }
      sleeper.sleep(backoff.delayAfter(attempt));
    }
  }
}
