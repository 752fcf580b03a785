package io.docshift.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.testkit.Eventually;
import io.docshift.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The credentials cache on its own, on a hand-moved clock: what a failing or slow source does to
 * callers (the S3 round trips are in {@code NettyS3StoreTest}).
 */
class CachedCredentialsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
  private final AtomicInteger calls = new AtomicInteger();

  /** What the source does next: answer (a session valid 15 minutes) or throw. */
  private final Deque<RuntimeException> failures = new ArrayDeque<>();

  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final AwsCredentialsProvider source =
      () -> {
        int n = calls.incrementAndGet();
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        RuntimeException failure;
        synchronized (failures) {
          failure = failures.poll();
        }
        if (failure != null) {
          throw failure;
        }
        return session(n);
      };

  private final CachedCredentials cache = new CachedCredentials(source, clock);

  private AwsCredentials session(int n) {
    return AwsSessionCredentials.builder()
        .accessKeyId("ASIA" + n)
        .secretAccessKey("secret")
        .sessionToken("token-" + n)
        .expirationTime(clock.instant().plus(Duration.ofMinutes(15)))
        .build();
  }

  private void failNext(String message) {
    synchronized (failures) {
      failures.add(new IllegalStateException(message));
    }
  }

  private AwsCredentialsIdentity resolve() throws Exception {
    return cache.resolveIdentity().get(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() {
    gate.countDown();
    cache.close();
  }

  @Test
  void callersWithNothingCachedShareOneRefresh() throws Exception {
    gate = new CountDownLatch(1);
    CompletableFuture<? extends AwsCredentialsIdentity> first = cache.resolveIdentity();
    CompletableFuture<? extends AwsCredentialsIdentity> second = cache.resolveIdentity();
    gate.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS).accessKeyId()).isEqualTo("ASIA1");
    assertThat(second.get(5, TimeUnit.SECONDS).accessKeyId()).isEqualTo("ASIA1");
    assertThat(calls).hasValue(1);
  }

  @Test
  void aSourceThatFailsWithNothingCachedFailsTheCallerWithItsError() {
    failNext("no IMDS");

    assertThatThrownBy(this::resolve)
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("no IMDS");
  }

  @Test
  void aFailedRefreshAheadOfExpiryKeepsTheCachedIdentityAndIsRetriedAfterTheGap() throws Exception {
    assertThat(resolve().accessKeyId()).isEqualTo("ASIA1");
    clock.advance(Duration.ofMinutes(11));
    failNext("STS throttled");

    assertThat(resolve().accessKeyId()).as("refresh behind, cached served").isEqualTo("ASIA1");
    Eventually.until(Duration.ofSeconds(5), () -> calls.get() == 2, "the refresh ran");
    assertThat(resolve().accessKeyId())
        .as("within the retry gap: no new attempt")
        .isEqualTo("ASIA1");
    assertThat(calls).hasValue(2);
    clock.advance(CachedCredentials.RETRY_GAP);
    resolve(); // starts the retry
    Eventually.until(
        Duration.ofSeconds(5),
        () -> resolve().accessKeyId().equals("ASIA3"),
        "the retried refresh's identity");
  }

  @Test
  void anExpiredIdentityIsNeverHandedOut() throws Exception {
    assertThat(resolve().accessKeyId()).isEqualTo("ASIA1");
    clock.advance(Duration.ofMinutes(15));
    failNext("STS down");

    assertThatThrownBy(this::resolve).hasRootCauseMessage("STS down");
    assertThat(resolve().accessKeyId()).isEqualTo("ASIA3");
  }
}
