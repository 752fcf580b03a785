package io.docshift.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.HedgeConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.metrics.HedgeOutcome;
import io.docshift.core.metrics.NoopMetricsRecorder;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.StoreException;
import io.docshift.traffic.TrafficState;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;

/**
 * The hedge inside the fallback, over two stores whose answers the test completes by hand and a
 * timer it fires by hand: who serves, which answer is released, how often Cloudinary is asked, what
 * is counted and what the fallback listener hears.
 */
class HedgedReadsTest {
  private static final DocumentKey KEY =
      DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "docs/h.pdf", null);
  private static final HedgeConfig ON = new HedgeConfig(true, 95, 3, 50, 200, 100);

  private final ManualTimer hedgeTimer = new ManualTimer();
  private final ManualTimer firstByteTimer = new ManualTimer();
  private final AtomicLong ticker = new AtomicLong();
  private final List<HedgeOutcome> hedges = new CopyOnWriteArrayList<>();
  private final List<Outcome> fellBack = new CopyOnWriteArrayList<>();
  private final PendingStore s3 = new PendingStore(Backend.S3);
  private final PendingStore cloudinary = new PendingStore(Backend.CLOUDINARY);

  @Test
  void aFastS3IsNotHedged() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served = store(ON).getServed(KEY, Optional.empty());
    assertThat(hedgeTimer.pendingDelays()).hasSize(1);
    Body s3Body = s3.answer();
    assertThat(hedgeTimer.pendingDelays()).as("the hedge was cancelled").isEmpty();
    hedgeTimer.fireAll();

    assertThat(served.get(5, TimeUnit.SECONDS).backend()).isEqualTo(Backend.S3);
    assertThat(served.get().value().body()).isSameAs(s3Body);
    assertThat(cloudinary.asked()).isZero();
    assertThat(hedges).isEmpty();
  }

  @Test
  void cloudinaryAnsweringFirstServesAndS3sLateAnswerIsReleased() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served = store(ON).getServed(KEY, Optional.empty());
    assertThat(hedgeTimer.pendingDelays()).containsExactly(200_000_000L); // not warmed up: max
    hedgeTimer.fireAll();
    assertThat(cloudinary.asked()).isEqualTo(1);
    Body cloudinaryBody = cloudinary.answer();

    Served<DocumentResponse> answer = served.get(5, TimeUnit.SECONDS);
    assertThat(answer.backend()).isEqualTo(Backend.CLOUDINARY);
    assertThat(answer.fallbackCause()).isEmpty();
    assertThat(answer.value().body()).isSameAs(cloudinaryBody);
    Body late = s3.answer();
    assertThat(late.cancelled).as("S3's answer released").isTrue();
    assertThat(cloudinaryBody.cancelled).isFalse();
    assertThat(hedges).containsExactly(HedgeOutcome.CLOUDINARY_WON);
    assertThat(fellBack).as("no S3 fault").isEmpty();
  }

  @Test
  void s3AnsweringFirstAfterTheHedgeServesAndCloudinarysAnswerIsReleased() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served = store(ON).getServed(KEY, Optional.empty());
    hedgeTimer.fireAll();
    Body s3Body = s3.answer();

    assertThat(served.get(5, TimeUnit.SECONDS).value().body()).isSameAs(s3Body);
    assertThat(served.get().backend()).isEqualTo(Backend.S3);
    Body late = cloudinary.answer();
    assertThat(late.cancelled).isTrue();
    assertThat(s3Body.cancelled).isFalse();
    assertThat(hedges).containsExactly(HedgeOutcome.S3_WON);
  }

  @Test
  void aFailedHedgeWaitsForS3() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served = store(ON).getServed(KEY, Optional.empty());
    hedgeTimer.fireAll();
    cloudinary.fail(Outcome.CLOUDINARY_5XX);
    assertThat(served).isNotDone();
    s3.answer();

    assertThat(served.get(5, TimeUnit.SECONDS).backend()).isEqualTo(Backend.S3);
    assertThat(hedges).containsExactly(HedgeOutcome.S3_WON);
    assertThat(cloudinary.asked()).isEqualTo(1);
  }

  @Test
  void bothFailingEndsAsTheFallbackWouldWithoutAskingCloudinaryTwice() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served = store(ON).getServed(KEY, Optional.empty());
    hedgeTimer.fireAll();
    cloudinary.fail(Outcome.CLOUDINARY_5XX);
    s3.fail(Outcome.S3_5XX);

    assertThatThrownBy(() -> served.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.CLOUDINARY_5XX));
    assertThat(cloudinary.asked()).isEqualTo(1);
    assertThat(fellBack).containsExactly(Outcome.S3_5XX);
    assertThat(hedges).containsExactly(HedgeOutcome.BOTH_FAILED);
  }

  @Test
  void s3FailingWhileTheHedgeRunsFallsBackToTheSameRequest() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served = store(ON).getServed(KEY, Optional.empty());
    hedgeTimer.fireAll();
    s3.fail(Outcome.S3_5XX);
    assertThat(served).isNotDone();
    Body body = cloudinary.answer();

    Served<DocumentResponse> answer = served.get(5, TimeUnit.SECONDS);
    assertThat(answer.backend()).isEqualTo(Backend.CLOUDINARY);
    assertThat(answer.fallbackCause()).contains(Outcome.S3_5XX);
    assertThat(answer.value().body()).isSameAs(body);
    assertThat(cloudinary.asked()).isEqualTo(1);
    assertThat(fellBack).containsExactly(Outcome.S3_5XX);
    assertThat(hedges).containsExactly(HedgeOutcome.CLOUDINARY_WON);
  }

  @Test
  void anS3FailureAfterCloudinaryServedStillCountsAgainstS3() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served = store(ON).getServed(KEY, Optional.empty());
    hedgeTimer.fireAll();
    cloudinary.answer();
    assertThat(served.get(5, TimeUnit.SECONDS).backend()).isEqualTo(Backend.CLOUDINARY);
    assertThat(fellBack).isEmpty();

    firstByteTimer.fireAll(); // S3 never answered within the first-byte timeout

    assertThat(fellBack).containsExactly(Outcome.S3_TIMEOUT);
    assertThat(cloudinary.asked()).isEqualTo(1);
  }

  @Test
  void anS3ClientErrorIsServedAndTheHedgesAnswerReleased() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served = store(ON).getServed(KEY, Optional.empty());
    hedgeTimer.fireAll();
    s3.fail(Outcome.CLIENT_ERROR);
    Body late = cloudinary.answer();

    assertThatThrownBy(() -> served.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.CLIENT_ERROR));
    assertThat(late.cancelled).isTrue();
    assertThat(hedges).containsExactly(HedgeOutcome.S3_WON);
  }

  @Test
  void overTheBudgetOnlyS3IsAsked() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served =
        store(new HedgeConfig(true, 95, 3, 50, 200, 0)).getServed(KEY, Optional.empty());
    hedgeTimer.fireAll();
    assertThat(cloudinary.asked()).isZero();
    s3.answer();

    assertThat(served.get(5, TimeUnit.SECONDS).backend()).isEqualTo(Backend.S3);
    assertThat(hedges).containsExactly(HedgeOutcome.OVER_BUDGET);
  }

  @Test
  void offMeansNoHedgeTimerAtAll() throws Exception {
    CompletableFuture<Served<DocumentResponse>> served =
        store(HedgeConfig.off()).getServed(KEY, Optional.empty());
    assertThat(hedgeTimer.pendingDelays()).isEmpty();
    s3.answer();
    assertThat(served.get(5, TimeUnit.SECONDS).backend()).isEqualTo(Backend.S3);
    assertThat(hedges).isEmpty();
  }

  @Test
  void theDelayFollowsS3sMeasuredFirstByteTimes() {
    FallbackReadStore store = store(ON);
    for (int i = 0; i < HedgeDelay.WARM_UP; i++) {
      store.getServed(KEY, Optional.empty());
      ticker.addAndGet(80_000_000L); // 80 ms until S3's head
      s3.answer();
    }
    store.getServed(KEY, Optional.empty());
    assertThat(hedgeTimer.pendingDelays()).containsExactly(80_000_000L);
  }

  private FallbackReadStore store(HedgeConfig config) {
    S3OnlyCopies s3Only =
        new S3OnlyCopies(
            () -> new TrafficState(100, WriteMode.CLOUDINARY_ONLY, 0), k -> false, Runnable::run);
    return new FallbackReadStore(
        s3,
        cloudinary,
        Duration.ofSeconds(2),
        (key, cause) -> fellBack.add(cause),
        s3Only,
        firstByteTimer,
        Hedging.of(config, hedgeTimer, new HedgeCounts(), ticker::get));
  }

  /** Counts hedges only. */
  private final class HedgeCounts extends NoopMetricsRecorder {
    @Override
    public void hedge(HedgeOutcome outcome) {
      hedges.add(outcome);
    }
  }

  /** A body that only records whether it was cancelled (released). */
  private static final class Body implements Publisher<ByteBuffer> {
    volatile boolean cancelled;

    @Override
    public void subscribe(org.reactivestreams.Subscriber<? super ByteBuffer> s) {
      s.onSubscribe(
          new Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {
              cancelled = true;
            }
          });
    }
  }

  /** A store whose GETs wait until the test answers or fails the oldest one still waiting. */
  private static final class PendingStore extends UnscriptedStore {
    private final List<CompletableFuture<DocumentResponse>> waiting = new CopyOnWriteArrayList<>();
    private final AtomicLong asked = new AtomicLong();

    PendingStore(Backend backend) {
      super(backend);
    }

    long asked() {
      return asked.get();
    }

    Body answer() {
      Body body = new Body();
      next().complete(new DocumentResponse(UnscriptedStore.pdf(3), Optional.empty(), body));
      return body;
    }

    void fail(Outcome outcome) {
      next()
          .completeExceptionally(
              new StoreException(backend(), outcome, backend() + " failed", null));
    }

    private CompletableFuture<DocumentResponse> next() {
      return waiting.remove(0);
    }

    @Override
    public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
      asked.incrementAndGet();
      CompletableFuture<DocumentResponse> f = new CompletableFuture<>();
      waiting.add(f);
      return f;
    }
  }
}
