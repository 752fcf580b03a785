package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Pace.Change;
import io.docshift.copier.ByteRate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pace's steps, its gate and the byte cap, each with injected time where time matters. */
@Timeout(30)
class PaceTest {
  private static final ReadLoad QUIET = new ReadLoad(1_000, 0, 5);
  private static final ReadLoad SLOW = new ReadLoad(1_000, 0, 11);
  private static final ReadLoad FAILING = new ReadLoad(1_000, 11, 0);

  @Test
  void itHalvesWhileTheReadsSufferAndGrowsByOneWhileTheyDoNot() {
    Pace pace = new Pace(16, 1.0);
    assertThat(pace.adjust(QUIET)).isEqualTo(Change.HELD);
    assertThat(pace.adjust(SLOW)).isEqualTo(Change.SLOWED);
    assertThat(pace.target()).isEqualTo(8);
    assertThat(pace.adjust(FAILING)).isEqualTo(Change.SLOWED);
    assertThat(pace.target()).isEqualTo(4);
    pace.adjust(SLOW);
    pace.adjust(SLOW);
    assertThat(pace.target()).isEqualTo(1);
    assertThat(pace.adjust(SLOW)).as("never below one copy").isEqualTo(Change.HELD);
    assertThat(pace.target()).isEqualTo(1);
    for (int i = 0; i < 15; i++) {
      assertThat(pace.adjust(QUIET)).isEqualTo(Change.SPED_UP);
    }
    assertThat(pace.target()).isEqualTo(16);
    assertThat(pace.adjust(QUIET)).as("never above --concurrency").isEqualTo(Change.HELD);
  }

  @Test
  void tooFewReadsToJudgeCountAsQuiet() {
    Pace pace = new Pace(4, 1.0);
    ReadLoad fewAllFailed = new ReadLoad(Pace.MIN_READS - 1, Pace.MIN_READS - 1, 0);
    assertThat(pace.adjust(fewAllFailed)).isEqualTo(Change.HELD);
    assertThat(pace.target()).isEqualTo(4);
    assertThat(pace.suffering(new ReadLoad(Pace.MIN_READS, Pace.MIN_READS, 0))).isTrue();
  }

  @Test
  void theFaultShareIsTheOperatorsToSet() {
    Pace lenient = new Pace(8, 5.0);
    assertThat(lenient.adjust(FAILING)).isEqualTo(Change.HELD);
    assertThat(lenient.adjust(new ReadLoad(1_000, 51, 0))).isEqualTo(Change.SLOWED);
  }

  @Test
  void theGateHoldsCopiesBeyondItsLimitUntilOneEndsOrTheLimitRises() throws Exception {
    PaceGate gate = new PaceGate(1);
    gate.enter();
    CountDownLatch second = new CountDownLatch(1);
    Thread waiter =
        new Thread(
            () -> {
              try {
                gate.enter();
                second.countDown();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    waiter.start();
    assertThat(second.await(200, TimeUnit.MILLISECONDS)).as("held at the limit").isFalse();
    gate.limit(2);
    assertThat(second.await(5, TimeUnit.SECONDS)).as("let through by a higher limit").isTrue();
    gate.limit(1);
    gate.exit();
    gate.exit();
    gate.enter();
    CountDownLatch third = new CountDownLatch(1);
    Thread stopping =
        new Thread(
            () -> {
              try {
                gate.enter();
                third.countDown();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    stopping.start();
    assertThat(third.await(200, TimeUnit.MILLISECONDS)).isFalse();
    gate.open();
    assertThat(third.await(5, TimeUnit.SECONDS))
        .as("a stopping run lets everyone through")
        .isTrue();
  }

  @Test
  void theByteCapHoldsTheAverageWhateverTheDocumentSizes() throws Exception {
    AtomicLong nanos = new AtomicLong();
    List<Duration> waits = new ArrayList<>();
    ByteRate rate =
        new ByteRate(
            1_000,
            nanos::get,
            d -> {
              waits.add(d);
              nanos.addAndGet(d.toNanos());
            },
            () -> false);
    rate.take(1_000); // a full bucket: at once
    assertThat(waits).isEmpty();
    rate.take(500);
    assertThat(nanos.get()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
    rate.take(5_000); // larger than a second's worth: waits for a full bucket, then owes
    assertThat(nanos.get()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1_500));
    rate.take(1);
    assertThat(nanos.get())
        .as("the debt of 4,000 bytes is paid first")
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(5_500));
    long copied = 1_000 + 500 + 5_000 + 1;
    assertThat(copied * 1e9 / nanos.get()).isLessThanOrEqualTo(1_000 * 1.3);
  }

  @Test
  void withoutACapOrOnceStoppedNothingWaits() throws Exception {
    List<Duration> waits = new ArrayList<>();
    new ByteRate(0, () -> 0L, waits::add, () -> false).take(1L << 40);
    ByteRate stopped = new ByteRate(10, () -> 0L, waits::add, () -> true);
    stopped.take(1_000);
    stopped.take(1_000);
    assertThat(waits).isEmpty();
  }
}
