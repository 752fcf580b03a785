package io.docshift.proxy.copyonread;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.CopyOnReadConfig;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.CopyOnReadOutcome;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.testkit.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admission of copies on read, over a copy that the test holds and releases: one copy per key
 * in flight, none again within the retry window (on an injected ticker), drops counted when the
 * workers and the queue are full, and a copy dropped by the byte budget tried again by the next
 * read. The copies themselves run against real stores in {@code CopyOnReadFlowTest}.
 */
class CopyOnReadTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final DocumentKey A = key("a.pdf");
  static final DocumentKey B = key("b.pdf");

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicLong nanos = new AtomicLong();
  final List<DocumentKey> started = new CopyOnWriteArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);
  CopyOnRead copies;

  @AfterEach
  void stop() {
    release.countDown();
    if (copies != null) {
      copies.close();
    }
  }

  static DocumentKey key(String publicId) {
    return DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, publicId, null);
  }

  CopyOnRead start(int maxConcurrent, int queueSize, CopyOnRead.Copy copy) {
    copies =
        new CopyOnRead(
            new CopyOnReadConfig(true, maxConcurrent, 0, queueSize, 60_000),
            copy,
            new MicrometerMetricsRecorder(registry),
            nanos::get);
    return copies;
  }

  /** A copy that starts, waits for the test's release, then copies. */
  CopyOnReadOutcome held(DocumentKey key) throws InterruptedException {
    started.add(key);
    assertThat(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    return CopyOnReadOutcome.COPIED;
  }

  double counted(CopyOnReadOutcome outcome) {
    return registry
        .get(MicrometerMetricsRecorder.COPY_ON_READ)
        .tag("outcome", outcome.tag())
        .counter()
        .count();
  }

  @Test
  void oneCopyPerKeyInFlightAndNoneAgainWithinTheRetryWindow() {
    CopyOnRead c = start(2, 10, this::held);
    c.served(A);
    Eventually.until(WAIT, () -> started.size() == 1, "copy started");
    c.served(A); // the same document read again while its copy runs
    release.countDown();
    Eventually.until(WAIT, () -> counted(CopyOnReadOutcome.COPIED) == 1, "copy counted");
    c.served(A); // copied a moment ago
    nanos.addAndGet(Duration.ofSeconds(59).toNanos());
    c.served(A);
    assertThat(started).containsExactly(A);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    c.served(A);
    Eventually.until(WAIT, () -> counted(CopyOnReadOutcome.COPIED) == 2, "tried again");
    assertThat(started).containsExactly(A, A);
    assertThat(counted(CopyOnReadOutcome.DROPPED)).isZero();
    assertThat(counted(CopyOnReadOutcome.SKIPPED)).isZero();
  }

  @Test
  void aReadBeyondTheWorkersAndTheQueueIsDroppedAndCounted() {
    CopyOnRead c = start(1, 0, this::held);
    c.served(A);
    Eventually.until(WAIT, () -> started.size() == 1, "copy started");
    c.served(B);
    assertThat(counted(CopyOnReadOutcome.DROPPED)).isEqualTo(1);
    release.countDown();
    Eventually.until(WAIT, () -> counted(CopyOnReadOutcome.COPIED) == 1, "first copy counted");
    // A dropped read left nothing behind: the next read of it gets its copy.
    Eventually.until(
        WAIT,
        () -> {
          c.served(B);
          return counted(CopyOnReadOutcome.COPIED) == 2;
        },
        "second read of b copied");
    assertThat(started).containsExactly(A, B);
  }

  @Test
  void aCopyOverTheByteBudgetIsTriedAgainByTheNextRead() {
    CopyOnRead c =
        start(
            1,
            10,
            key -> {
              started.add(key);
              return CopyOnReadOutcome.DROPPED;
            });
    c.served(A);
    Eventually.until(WAIT, () -> counted(CopyOnReadOutcome.DROPPED) == 1, "dropped");
    c.served(A);
    Eventually.until(WAIT, () -> counted(CopyOnReadOutcome.DROPPED) == 2, "tried again");
    assertThat(started).containsExactly(A, A);
  }

  @Test
  void aCopyThatThrowsIsCountedAsFailed() {
    CopyOnRead c =
        start(
            1,
            10,
            key -> {
              throw new IllegalStateException("ledger unreachable");
            });
    c.served(A);
    Eventually.until(WAIT, () -> counted(CopyOnReadOutcome.FAILED) == 1, "failed");
  }
}
