package io.docshift.stores.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.outcome.Backend;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deadlines of upstream calls under their loop's one lazy timer ({@link LoopDeadlines}), on an
 * embedded loop whose clock the test moves: each call times out exactly when its own deadline
 * passes, whatever the calls around it do (a call that ends does not leave a later one waiting, a
 * call due sooner moves the timer earlier), and a call that ended never fires.
 */
class LoopDeadlinesTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** Connect 1 s, response 10 s, total wait 25 s. */
  private static final UpstreamSettings SETTINGS =
      UpstreamSettings.of(Backend.CLOUDINARY, Duration.ofSeconds(1), Duration.ofSeconds(10))
          .withTotalWait(Duration.ofSeconds(25));

  private EmbeddedChannel channel;
  private LoopDeadlines clock;
  private long origin;

  /** What fired, as "name@seconds: timeout" (or "name@seconds: -" when nothing had passed). */
  private final List<String> fired = new ArrayList<>();

  @BeforeEach
  void start() {
    channel = new EmbeddedChannel();
    channel.freezeTime();
    clock = new LoopDeadlines(channel.eventLoop());
    origin = clock.now();
  }

  @AfterEach
  void stop() {
    channel.finishAndReleaseAll();
  }

  @Test
  void headersMissingForTheResponseTimeoutFireAtItAndNotBefore() {
    call("a", true).start();

    at(10 * SECOND - 1);
    assertThat(fired).isEmpty();
    at(10 * SECOND);
    assertThat(fired).containsExactly("a@10: no response headers within 10000 ms");
  }

  @Test
  void aCallThatEndsLeavesTheTimerToTheCallsAfterIt() {
    ExchangeDeadlines first = call("first", true);
    first.start();
    at(3 * SECOND);
    call("second", true).start();
    at(4 * SECOND);
    first.stop();

    at(10 * SECOND);
    assertThat(fired).isEmpty();
    at(13 * SECOND);
    assertThat(fired).containsExactly("second@13: no response headers within 10000 ms");
  }

  @Test
  void aCallDueSoonerMovesTheTimerEarlier() {
    call("waiting", true).start();
    at(2 * SECOND);
    ExchangeDeadlines queued = call("queued", true);
    queued.start();
    queued.inLine(); // at most the connect timeout, 1 s, in line

    at(3 * SECOND);
    assertThat(fired).containsExactly("queued@3: -"); // asks: no headers overdue, it waited 1 s
    at(12 * SECOND);
    assertThat(fired)
        .containsExactly(
            "queued@3: -",
            "waiting@10: no response headers within 10000 ms",
            "queued@12: no response headers within 10000 ms");
  }

  @Test
  void callsThatEndedNeverFire() {
    for (int i = 0; i < 1_000; i++) {
      ExchangeDeadlines done = call("done" + i, true);
      done.start();
      done.headersArrived();
      done.stop();
    }

    at(60 * SECOND);
    assertThat(fired).isEmpty();
  }

  @Test
  void aSilentBodyTimesOutOneResponseTimeoutAfterItWasAskedFor() {
    ExchangeDeadlines body = call("body", false);
    body.start();
    at(2 * SECOND);
    body.headersArrived();
    at(3 * SECOND);
    body.bodyAsked();

    at(13 * SECOND - 1);
    assertThat(fired).containsExactly("body@12: -"); // the headers' deadline moved to the body's
    at(13 * SECOND);
    assertThat(fired).containsExactly("body@12: -", "body@13: no body bytes for 10000 ms");
  }

  @Test
  void aTricklingBodyIsCutWhenItsWaitsAddUpToTheTotalWait() {
    ExchangeDeadlines body = call("body", false);
    body.start();
    body.headersArrived();
    for (long second : new long[] {0, 9, 18}) {
      at(second * SECOND); // a part every 9 s: never silent for 10 s
      body.bodyArrived();
      body.bodyAsked();
    }

    at(25 * SECOND - 1);
    assertThat(fired).containsExactly("body@10: -", "body@19: -");
    at(25 * SECOND);
    assertThat(fired)
        .last()
        .isEqualTo("body@25: upstream not done within a total wait of 25000 ms");
  }

  /**
   * A call whose timer asks, like {@link UpstreamExchange}'s, which deadline passed: the headers'
   * while {@code waitingForHeaders}, else the body's; a timeout ends the call.
   */
  private ExchangeDeadlines call(String name, boolean waitingForHeaders) {
    ExchangeDeadlines[] self = new ExchangeDeadlines[1];
    self[0] =
        new ExchangeDeadlines(
            SETTINGS,
            clock,
            () -> {
              TimeoutException passed =
                  waitingForHeaders ? self[0].headersPassed() : self[0].bodyPassed();
              long seconds = (clock.now() - origin) / SECOND;
              fired.add(name + "@" + seconds + ": " + (passed == null ? "-" : passed.getMessage()));
              if (passed != null) {
                self[0].stop();
              }
            });
    return self[0];
  }

  /**
   * Moves the loop's clock to {@code nanos} after the test's start, stopping at every timer on the
   * way so each runs at its own time.
   */
  private void at(long nanos) {
    long target = origin + nanos;
    long next;
    while ((next = channel.runScheduledPendingTasks()) >= 0 && clock.now() + next - target <= 0) {
      channel.advanceTimeBy(next, TimeUnit.NANOSECONDS);
    }
    channel.advanceTimeBy(target - clock.now(), TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
  }
}
