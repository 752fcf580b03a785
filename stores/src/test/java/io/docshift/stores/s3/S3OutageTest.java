package io.docshift.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.S3Settings;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import io.docshift.sandbox.s3.EmbeddedS3;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.TestBodies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 is down before a long-lived client on DocShift's process-wide event loop ever connected: every
 * call fails fast as a connect failure, never parked until the SDK's ten-second acquire timeout
 * (which the SDK's multi-loop default did for several calls in a few dozen), and the same store
 * works once S3 is back. Closing a store returns at once: the event loop outlives it.
 */
class S3OutageTest {
  /**
   * Three calls a round. On the SDK's four-loop default about one cold call in ten stalled, so 60
   * calls all fast would happen by luck less than once in a hundred runs.
   */
  private static final int ROUNDS = 20;

  /** Far below the SDK's ten-second acquire timeout, far above a refused connect. */
  private static final Duration FAST = Duration.ofSeconds(3);

  @TempDir Path s3Data;

  private EmbeddedS3 s3;

  @AfterEach
  void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  private EmbeddedS3 startS3(int port) {
    return EmbeddedS3Extension.start(s3Data, port);
  }

  private S3Settings settings() {
    return S3DocumentStoreTest.settings(s3.endpoint());
  }

  private static DocumentKey key(String publicId) {
    return DocumentKey.of(
        "demo", ResourceType.IMAGE, DeliveryType.UPLOAD, "outage/" + publicId, "pdf");
  }

  @Test
  void aStoreThatNeverReachedS3FailsEveryCallFastAsAConnectFailureAndRecovers() throws Exception {
    s3 = startS3(0);
    int port = s3.port();
    S3Settings settings = settings();
    byte[] before = TestBodies.random(2000, 31);
    try (S3DocumentStore writer = S3DocumentStore.create(settings)) {
      writer
          .put(key("before"), TestPutRequests.putRequest(before, "application/pdf"))
          .get(30, TimeUnit.SECONDS);
    }
    try (S3DocumentStore store = S3DocumentStore.create(settings)) {
      s3.close();
      s3 = null;

      for (int round = 1; round <= ROUNDS; round++) {
        byte[] body = TestBodies.random(1000, round);
        assertFailsFastAsConnect("head " + round, () -> store.head(key("before")));
        assertFailsFastAsConnect(
            "put " + round,
            () -> store.put(key("down"), TestPutRequests.putRequest(body, "application/pdf")));
        assertFailsFastAsConnect("delete " + round, () -> store.delete(key("before")));
      }

      s3 = startS3(port);
      byte[] after = TestBodies.random(1500, 32);
      store
          .put(key("after"), TestPutRequests.putRequest(after, "application/pdf"))
          .get(30, TimeUnit.SECONDS);

      assertThat(store.head(key("before")).get(30, TimeUnit.SECONDS).md5Hex())
          .contains(TestBodies.md5Hex(before));
      assertThat(store.head(key("after")).get(30, TimeUnit.SECONDS).md5Hex())
          .contains(TestBodies.md5Hex(after));
      assertThat(S3DocumentStoreTest.failure(store.head(key("down"))).outcome())
          .isEqualTo(Outcome.NOT_FOUND);
    }
  }

  @Test
  void closingAStoreReturnsAtOnceAndTheNextStoreRunsOnTheSameLoops() throws Exception {
    s3 = startS3(0);
    S3DocumentStore first = S3DocumentStore.create(settings());
    assertThat(S3DocumentStoreTest.failure(first.head(key("absent"))).outcome())
        .isEqualTo(Outcome.NOT_FOUND);

    long start = System.nanoTime();
    first.close();
    Duration closing = Duration.ofNanos(System.nanoTime() - start);

    // The SDK's own shared group, when its last client closes, waits a two-second quiet period.
    assertThat(closing).isLessThan(Duration.ofSeconds(1));
    assertThat(S3EventLoops.shared().eventLoopGroup().isShuttingDown()).isFalse();
    byte[] data = TestBodies.random(500, 33);
    try (S3DocumentStore second = S3DocumentStore.create(settings())) {
      second
          .put(key("second"), TestPutRequests.putRequest(data, "application/pdf"))
          .get(30, TimeUnit.SECONDS);
      assertThat(second.head(key("second")).get(30, TimeUnit.SECONDS).md5Hex())
          .contains(TestBodies.md5Hex(data));
    }
  }

  private static void assertFailsFastAsConnect(
      String call, Supplier<CompletableFuture<?>> operation) {
    long start = System.nanoTime();
    StoreException e = S3DocumentStoreTest.failure(operation.get());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(e.outcome()).as("%s: %s", call, e.getMessage()).isEqualTo(Outcome.S3_CONNECT);
    assertThat(took).as("%s took", call).isLessThan(FAST);
  }
}
