package io.docshift.stores.s3;

import static io.docshift.stores.s3.S3DocumentStoreTest.await;
import static io.docshift.stores.s3.S3DocumentStoreTest.failure;
import static io.docshift.stores.s3.S3DocumentStoreTest.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.S3Settings;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.MutableClock;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import io.netty.channel.EventLoop;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * S3 reads on DocShift's own Netty client against a real S3 (S3Proxy, which checks every SigV4
 * signature): bytes, metadata, ranges and failures must be what the SDK store gives for the same
 * object, and no connection or buffer may be left behind (the leak gate runs in every test).
 */
class NettyS3StoreTest {
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @RegisterExtension static final NettyS3Stores STORES = NettyS3Stores.reads(S3);

  private static byte[] put(DocumentKey key, byte[] data) throws Exception {
    await(STORES.sdk().put(key, TestPutRequests.putRequest(data, "application/pdf")));
    return data;
  }

  /**
   * Every call so far ran on one connection: each one that completed (body read to its end, error
   * answer included) gave it back to the pool, and the next reused it.
   */
  private void assertOneConnectionReused() {
    assertThat(STORES.store().client().connectionsOpened()).isEqualTo(1);
    assertThat(STORES.store().client().openConnections()).isEqualTo(1);
  }

  @Test
  void getAndHeadGiveTheSdkStoresBytesAndMetadata() throws Exception {
    byte[] data = put(key("docs/same é+?#%"), TestBodies.random(3 * 1024 * 1024 + 17, 1));
    DocumentKey key = key("docs/same é+?#%");

    DocumentMeta head = await(STORES.store().head(key));
    DocumentResponse get = await(STORES.store().get(key, Optional.empty()));
    byte[] read = await(SlowSubscriber.collect(get.body()));

    assertThat(head).isEqualTo(await(STORES.sdk().head(key)));
    assertThat(head.md5Hex()).contains(TestBodies.md5Hex(data));
    assertThat(head.sha256Hex()).contains(TestBodies.sha256Hex(data));
    assertThat(head.lastModified()).isPresent();
    assertThat(get.meta()).isEqualTo(head);
    assertThat(get.contentRange()).isEmpty();
    assertThat(read).isEqualTo(data);
    assertOneConnectionReused();
  }

  @Test
  void rangesGiveThePartAndTheTotalLikeTheSdk() throws Exception {
    DocumentKey key = key("docs/ranged");
    byte[] data = put(key, TestBodies.random(10_000, 3));

    DocumentResponse closed =
        await(STORES.store().get(key, Optional.of(ByteRange.closed(100, 199))));
    byte[] part = await(SlowSubscriber.collect(closed.body()));
    DocumentResponse suffix = await(STORES.store().get(key, Optional.of(ByteRange.suffix(10))));
    byte[] tail = await(SlowSubscriber.collect(suffix.body()));
    DocumentResponse viaSdk = await(STORES.sdk().get(key, Optional.of(ByteRange.closed(100, 199))));
    viaSdk.discard();

    assertThat(closed.contentRange()).contains(new ContentRange(100, 199, 10_000));
    assertThat(closed.meta()).isEqualTo(viaSdk.meta());
    assertThat(closed.bodyLength()).hasValue(100);
    assertThat(part).isEqualTo(Arrays.copyOfRange(data, 100, 200));
    assertThat(suffix.contentRange()).contains(new ContentRange(9_990, 9_999, 10_000));
    assertThat(tail).isEqualTo(Arrays.copyOfRange(data, 9_990, 10_000));
    assertOneConnectionReused();
  }

  @Test
  void missingObjectIsNotFoundForGetAndHeadAndKeepsTheConnection() throws Exception {
    DocumentKey key = key("docs/never-written");

    StoreException get = failure(STORES.store().get(key, Optional.empty()));
    StoreException head = failure(STORES.store().head(key));

    assertThat(get.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(get.getMessage()).contains("NoSuchKey");
    assertThat(head.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(failure(STORES.sdk().get(key, Optional.empty())).outcome())
        .isEqualTo(Outcome.NOT_FOUND);
    // The error answers were read to their end: one connection, reused, nothing left open.
    assertOneConnectionReused();
  }

  @Test
  void unsatisfiableRangeIsAClientErrorAsWithTheSdk() throws Exception {
    DocumentKey key = key("docs/short");
    put(key, TestBodies.random(10, 4));

    StoreException e = failure(STORES.store().get(key, Optional.of(ByteRange.from(50))));

    assertThat(e.outcome())
        .isEqualTo(Outcome.CLIENT_ERROR)
        .isEqualTo(failure(STORES.sdk().get(key, Optional.of(ByteRange.from(50)))).outcome());
  }

  @Test
  void wrongSecretIsAnS3AuthFaultForGetAndHead() throws Exception {
    DocumentKey key = key("docs/auth");
    put(key, TestBodies.random(100, 5));
    S3Settings wrong =
        S3Settings.builder(EmbeddedS3.REGION, EmbeddedS3Extension.BUCKET)
            .endpoint(S3.s3().endpoint())
            .credentials(EmbeddedS3Extension.ACCESS_KEY, "not-the-secret")
            .pathStyle(true)
            .keyPrefix("mig/")
            .build();
    STORES.reopen(wrong);

    StoreException get = failure(STORES.store().get(key, Optional.empty()));
    StoreException head = failure(STORES.store().head(key));

    assertThat(get.outcome()).isEqualTo(Outcome.S3_AUTH);
    assertThat(get.getMessage()).contains("SignatureDoesNotMatch");
    assertThat(head.outcome()).isEqualTo(Outcome.S3_AUTH);
    assertThat(get.outcome().isBackendFault()).isTrue();
    assertThat(STORES.store().client().openConnections()).isLessThanOrEqualTo(1);
  }

  /** This store reading with {@code source}'s credentials, cached on {@code clock}. */
  private void readWith(AwsCredentialsProvider source, Clock clock) {
    S3Settings settings = S3DocumentStoreTest.settings(S3.s3().endpoint());
    STORES.replace(
        loops ->
            new NettyS3Store(
                S3DocumentStore.create(settings),
                settings,
                loops,
                Duration.ofSeconds(60),
                new CachedCredentials(source, clock),
                false));
  }

  @Test
  void keysWithoutAnExpiryAreAskedForAgainEveryMinuteSoARotationIsPickedUp() throws Exception {
    DocumentKey key = key("docs/rotated");
    byte[] data = put(key, TestBodies.random(500, 6));
    AtomicReference<AwsCredentials> current =
        new AtomicReference<>(AwsBasicCredentials.create(EmbeddedS3Extension.ACCESS_KEY, "old"));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    readWith(current::get, clock);

    StoreException before = failure(STORES.store().head(key));
    current.set(
        AwsBasicCredentials.create(EmbeddedS3Extension.ACCESS_KEY, EmbeddedS3Extension.SECRET_KEY));
    StoreException cached = failure(STORES.store().head(key));
    clock.advance(CachedCredentials.RECHECK);
    DocumentResponse after =
        Eventually.until(
            Duration.ofSeconds(10),
            () -> STORES.store().get(key, Optional.empty()).handle((r, e) -> r).get(),
            r -> r != null,
            "a read signed with the rotated key");

    assertThat(before.outcome()).isEqualTo(Outcome.S3_AUTH);
    assertThat(cached.outcome())
        .as("within the minute: still the cached key")
        .isEqualTo(Outcome.S3_AUTH);
    assertThat(await(SlowSubscriber.collect(after.body()))).isEqualTo(data);
  }

  @Test
  void sessionCredentialsAreRefreshedBeforeTheyExpireWhileReadsGoOnWithTheCachedOnes()
      throws Exception {
    DocumentKey key = key("docs/session");
    byte[] data = put(key, TestBodies.random(700, 11));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    SessionSource sts = new SessionSource(clock);
    readWith(sts, clock);
    assertThat(
            await(SlowSubscriber.collect(await(STORES.store().get(key, Optional.empty())).body())))
        .isEqualTo(data);

    sts.hold();
    clock.advance(Duration.ofMinutes(11)); // 4 minutes left: within the refresh-ahead window
    byte[] whileRefreshing =
        await(SlowSubscriber.collect(await(STORES.store().get(key, Optional.empty())).body()));
    Eventually.until(Duration.ofSeconds(5), () -> sts.calls.get() == 2, "a refresh started");
    sts.release();
    Eventually.until(Duration.ofSeconds(5), () -> sts.served.get() == 2, "the refresh answered");
    DocumentMeta afterRefresh = await(STORES.store().head(key));

    assertThat(whileRefreshing)
        .as("served on the cached token, not held by the refresh")
        .isEqualTo(data);
    assertThat(afterRefresh.length()).hasValue(700);
    assertThat(sts.calls).as("one refresh, then the fresh token serves").hasValue(2);
    assertThat(sts.threads).containsOnly("docshift-s3-credentials");
  }

  @Test
  void expiredCredentialsAreRefreshedWithoutStallingTheEventLoop() throws Exception {
    DocumentKey key = key("docs/expired");
    byte[] data = put(key, TestBodies.random(900, 12));
    MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    SessionSource sts = new SessionSource(clock);
    readWith(sts, clock);
    await(STORES.store().head(key));

    sts.hold();
    clock.advance(Duration.ofMinutes(16)); // expired: the read must wait for new credentials
    EventLoop loop = STORES.loops().next();
    CompletableFuture<DocumentResponse> pending =
        loop.submit(() -> STORES.store().get(key, Optional.empty())).get(5, TimeUnit.SECONDS);
    int otherTask = loop.submit(() -> 42).get(5, TimeUnit.SECONDS);
    boolean doneWhileHeld = pending.isDone();
    sts.release();

    assertThat(otherTask).as("the loop ran other work while the provider was held").isEqualTo(42);
    assertThat(doneWhileHeld).as("the read waited for the refresh").isFalse();
    assertThat(await(SlowSubscriber.collect(await(pending).body()))).isEqualTo(data);
    assertThat(sts.calls).hasValue(2);
    assertThat(sts.threads).containsOnly("docshift-s3-credentials");
  }

  /**
   * A stand-in for STS: each call mints a new session token valid 15 minutes on {@code clock} (S3
   * checks the signature, which covers the token), records its thread, and can be held to act as a
   * slow IMDS or STS round trip.
   */
  private static final class SessionSource implements AwsCredentialsProvider {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger served = new AtomicInteger();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    SessionSource(Clock clock) {
      this.clock = clock;
    }

    void hold() {
      gate = new CountDownLatch(1);
    }

    void release() {
      gate.countDown();
    }

    @Override
    public AwsCredentials resolveCredentials() {
      threads.add(Thread.currentThread().getName());
      int n = calls.incrementAndGet();
      try {
        if (!gate.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("held for too long");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      AwsCredentials minted =
          AwsSessionCredentials.builder()
              .accessKeyId(EmbeddedS3Extension.ACCESS_KEY)
              .secretAccessKey(EmbeddedS3Extension.SECRET_KEY)
              .sessionToken("token-" + n)
              .expirationTime(clock.instant().plus(Duration.ofMinutes(15)))
              .build();
      served.incrementAndGet();
      return minted;
    }
  }

  @Test
  void s3DownIsAConnectFaultBeforeAnyResponse() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    STORES.reopen(S3DocumentStoreTest.settings(URI.create("http://127.0.0.1:" + closedPort)));

    StoreException get = failure(STORES.store().get(key("docs/any"), Optional.empty()));
    StoreException head = failure(STORES.store().head(key("docs/any")));

    assertThat(get.outcome()).isEqualTo(Outcome.S3_CONNECT);
    assertThat(head.outcome()).isEqualTo(Outcome.S3_CONNECT);
    assertThat(STORES.store().client().openConnections()).isZero();
  }

  @Test
  void cancelledBodyClosesItsConnection() throws Exception {
    DocumentKey key = key("docs/cancelled");
    put(key, TestBodies.random(4 * 1024 * 1024, 7));

    DocumentResponse response = await(STORES.store().get(key, Optional.empty()));
    response.discard();

    Eventually.until(
        Duration.ofSeconds(5),
        () -> STORES.store().client().openConnections() == 0,
        "the cancelled GET's connection is closed");
  }
}
