package io.docshift.proxy.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.MetricsRecorder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The response byte-rate floor, on the event loop's hand-moved clock, behind a fake socket whose
 * send buffer is full: the kernel takes bytes only when the test says the client read them.
 */
class ResponseRateFloorTest {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private FullKernel kernel;
  private EmbeddedChannel channel;

  private void open(long minBytesPerSecond) {
    kernel =
        FullKernel.under(
            new ResponseRateFloor(minBytesPerSecond, GRACE, LimitCloses.of(MetricsRecorder.NOOP)));
    channel = kernel.channel();
  }

  @AfterEach
  void release() {
    kernel.close();
  }

  private void respond(int bytes) {
    channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[bytes]));
  }

  @Test
  void aReaderUnderTheFloorIsClosedAtGracePlusWhatItTookAtTheFloorsRate() {
    open(1_000);
    respond(100_000);
    for (int second = 1; second <= 10; second++) {
      kernel.tick(1_000);
      kernel.take(100); // 100 B/s, a tenth of the floor
    }
    kernel.tick(999); // took 1,000 bytes: the deadline is 10 s + 1 s
    assertThat(channel.isOpen()).as("open just before grace + taken / rate").isTrue();
    kernel.tick(2);
    assertThat(channel.isOpen()).as("open after grace + taken / rate").isFalse();
  }

  @Test
  void aReaderThatTakesNothingIsClosedAtTheEndOfTheGrace() {
    open(1_000);
    respond(100_000);
    kernel.tick(GRACE.toMillis() - 1);
    assertThat(channel.isOpen()).isTrue();
    kernel.tick(2);
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aReaderAtTheFloorIsNeverCutAndTheClockStopsWhenEverythingIsTaken() {
    open(1_000);
    respond(60_000);
    respond(60_000);
    for (int second = 1; second <= 100; second++) {
      kernel.tick(1_000);
      kernel.take(1_000); // exactly the floor, across both writes
    }
    assertThat(channel.isOpen()).isTrue();
    kernel.take(20_000); // the rest: no backlog left
    kernel.tick(TimeUnit.HOURS.toMillis(1));
    assertThat(channel.isOpen()).as("no clock without a backlog").isTrue();
  }

  @Test
  void aBurstTheKernelTakesAsTheBacklogStartsBuysAtMostOneGrace() {
    open(1_000);
    respond(100_000);
    kernel.tick(10);
    kernel.take(60_000); // in-flight bytes acknowledged: a minute at the floor's rate
    kernel.tick(GRACE.toMillis() - 1);
    assertThat(channel.isOpen()).as("open until one grace after the burst").isTrue();
    kernel.tick(2);
    assertThat(channel.isOpen()).as("the burst is worth one grace, not 60 s").isFalse();
  }

  @Test
  void aReaderAtTheFloorWhoseTakesComeInBurstsWithinAGraceKeepsItsConnection() {
    open(1_000);
    respond(200_000);
    for (int burst = 1; burst <= 30; burst++) {
      kernel.tick(GRACE.toMillis() / 2);
      kernel.take(GRACE.toMillis() / 2); // half a grace's worth at the floor, each half grace
    }
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void bytesTheKernelTookBeforeTheBacklogAreNotCredited() {
    open(1_000);
    kernel.takeEverything = true;
    respond(50_000); // taken at once: may sit unread in the kernel, so no credit
    kernel.takeEverything = false;
    respond(1_000);
    kernel.tick(GRACE.toMillis() + 1);
    assertThat(channel.isOpen()).as("50 kB taken before the backlog bought no time").isFalse();
  }

  @Test
  void answersTheKernelTakesWholeStartNoClock() {
    open(1_000);
    kernel.takeEverything = true;
    respond(100_000);
    kernel.tick(TimeUnit.HOURS.toMillis(1));
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aRateOfZeroTurnsTheFloorOff() {
    open(0);
    respond(100_000);
    kernel.tick(TimeUnit.HOURS.toMillis(1));
    assertThat(channel.isOpen()).isTrue();
  }
}
