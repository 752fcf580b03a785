package io.docshift.stores.s3;

import static java.util.Objects.requireNonNull;

import io.docshift.core.thread.DaemonThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

/**
 * Credentials for signing on an event loop: the source provider is only ever asked on this class's
 * own thread, and a caller gets the last identity at once while it is valid. The SDK's providers
 * answer {@code resolveIdentity} synchronously, and a default chain whose cached session
 * credentials are stale refreshes them inside that call (an IMDS, container or STS round trip; its
 * {@code asyncCredentialUpdateEnabled} only makes that less likely), which on a loop would stall
 * every connection the loop serves.
 *
 * <p>Refreshes run {@link #REFRESH_AHEAD} before an identity expires, and every {@link #RECHECK}
 * for one without an expiry (so keys rotated in the chain's sources are picked up), one at a time
 * and at most once per {@link #RETRY_GAP}; callers keep the cached identity meanwhile, and a failed
 * refresh keeps it too. Only when there is no valid identity (the first call, an identity past its
 * expiry, or a source that never answered) does the caller's future wait for the refresh; it
 * completes on this class's thread, so callers hop back to their loop themselves.
 */
final class CachedCredentials implements IdentityProvider<AwsCredentialsIdentity>, AutoCloseable {
  /** How long before expiry a refresh starts: the SDK's own providers prefetch about as early. */
  static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);

  /** How often an identity without an expiry is asked for again. */
  static final Duration RECHECK = Duration.ofMinutes(1);

  /** Fewest time between two refreshes a valid identity starts (a source stuck near expiry). */
  static final Duration RETRY_GAP = Duration.ofSeconds(1);

  private final IdentityProvider<? extends AwsCredentialsIdentity> source;
  private final ExecutorService refresher;
  private final Clock clock;
  private final AtomicReference<CompletableFuture<AwsCredentialsIdentity>> running =
      new AtomicReference<>();
  private volatile AwsCredentialsIdentity current;
  private volatile Instant attempted = Instant.MIN;

  CachedCredentials(IdentityProvider<? extends AwsCredentialsIdentity> source, Clock clock) {
    this.source = requireNonNull(source, "source");
    this.clock = requireNonNull(clock, "clock");
    this.refresher =
        Executors.newSingleThreadExecutor(DaemonThreads.named("docshift-s3-credentials"));
  }

  @Override
  public Class<AwsCredentialsIdentity> identityType() {
    return AwsCredentialsIdentity.class;
  }

  /** The cached identity at once while valid (refreshing it behind when due), else the refresh. */
  @Override
  public CompletableFuture<AwsCredentialsIdentity> resolveIdentity(ResolveIdentityRequest request) {
    AwsCredentialsIdentity cached = current;
    Instant now = clock.instant();
    if (cached == null || expired(cached, now)) {
      return refresh();
    }
    if (due(cached, now)) {
      refresh();
    }
    return CompletableFuture.completedFuture(cached);
  }

  private static boolean expired(AwsCredentialsIdentity identity, Instant now) {
    Optional<Instant> expiry = identity.expirationTime();
    return expiry.isPresent() && !now.isBefore(expiry.get());
  }

  private boolean due(AwsCredentialsIdentity identity, Instant now) {
    if (now.isBefore(attempted.plus(RETRY_GAP))) {
      return false;
    }
    Optional<Instant> expiry = identity.expirationTime();
    return expiry.isPresent()
        ? !now.isBefore(expiry.get().minus(REFRESH_AHEAD))
        : !now.isBefore(attempted.plus(RECHECK));
  }

  /** The refresh under way, or a new one on the refresher's thread. */
  private CompletableFuture<AwsCredentialsIdentity> refresh() {
    CompletableFuture<AwsCredentialsIdentity> mine = new CompletableFuture<>();
    CompletableFuture<AwsCredentialsIdentity> other = running.compareAndExchange(null, mine);
    if (other != null) {
      return other;
    }
    attempted = clock.instant();
    try {
      refresher.execute(() -> resolve(mine));
    } catch (RejectedExecutionException e) {
      running.set(null);
      mine.completeExceptionally(new IllegalStateException("the S3 read store is closed", e));
    }
    return mine;
  }

  private void resolve(CompletableFuture<AwsCredentialsIdentity> mine) {
    try {
      AwsCredentialsIdentity identity = source.resolveIdentity().join();
      current = identity;
      running.set(null); // before completing: a caller woken by it must find the new identity
      mine.complete(identity);
    } catch (RuntimeException | Error e) {
      running.set(null);
      mine.completeExceptionally(e instanceof CompletionException ? e.getCause() : e);
    }
  }

  /** Stops the refresher; a refresh in flight is interrupted. */
  @Override
  public void close() {
    refresher.shutdownNow();
    try {
      refresher.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
