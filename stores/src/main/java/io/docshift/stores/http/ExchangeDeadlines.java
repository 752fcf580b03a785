package io.docshift.stores.http;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The clock of one {@link UpstreamExchange}, on its event loop: one timer per call. No response
 * headers within the response timeout (connect and the wait for a connection included), or a body
 * the consumer asked for that stays silent that long, is a timeout; so are waits on the upstream
 * (headers plus every body read asked for) that add up to the total wait, a store that trickles
 * bytes just often enough to never be silent. Time the consumer takes between reads is not counted.
 */
final class ExchangeDeadlines {
  private final UpstreamSettings settings;
  private final EventLoop loop;
  private final Runnable onTick;
  private final long startedAt = System.nanoTime();
  private long waitingSince = -1;
  private long waited;
  private ScheduledFuture<?> timer;

  /**
   * @param onTick runs when the timer fires; it asks {@link #headersPassed} or {@link #bodyPassed}
   *     which deadline passed (they re-arm the timer when none did)
   */
  ExchangeDeadlines(UpstreamSettings settings, EventLoop loop, Runnable onTick) {
    this.settings = settings;
    this.loop = loop;
    this.onTick = onTick;
  }

  /** The call starts: its headers are due within the response timeout. */
  void start() {
    arm(responseTimeout());
  }

  /** The call waits in line for a connection: at most the connect timeout. */
  void inLine() {
    disarm();
    arm(Math.min(settings.connectTimeout().toNanos(), headersLeft(System.nanoTime())));
  }

  /** The call left the line: its headers are still due when they were. */
  void outOfLine() {
    disarm();
    arm(Math.max(1, headersLeft(System.nanoTime())));
  }

  /** The headers came: from now on the body's silence and the total wait count. */
  void headersArrived() {
    long now = System.nanoTime();
    waited = now - startedAt;
    disarm();
    arm(streamingDelay(now));
  }

  /** The consumer asked for more of the body: the upstream's silence counts from now. */
  void bodyAsked() {
    if (waitingSince < 0) {
      waitingSince = System.nanoTime();
    }
  }

  /** A part of the body came: the wait for it is added to the total. */
  void bodyArrived() {
    if (waitingSince >= 0) {
      waited += System.nanoTime() - waitingSince;
    }
    waitingSince = -1;
  }

  /** The call is over: no timer any more. */
  void stop() {
    disarm();
  }

  /** Whether the headers' time is up (for a call that waited in line). */
  boolean headersDue() {
    return headersLeft(System.nanoTime()) <= 0;
  }

  /** The timeout of headers that did not come in time, or null after re-arming for them. */
  TimeoutException headersPassed() {
    long elapsed = System.nanoTime() - startedAt;
    if (elapsed >= responseTimeout()) {
      return headersTimeout();
    }
    arm(responseTimeout() - elapsed);
    return null;
  }

  /** The timeout of a body too silent or too slow in total, or null after re-arming. */
  TimeoutException bodyPassed() {
    long now = System.nanoTime();
    if (waitingSince >= 0 && now - waitingSince >= responseTimeout()) {
      return timeout("no body bytes for ");
    }
    if (waitedBy(now) >= settings.totalWait().toNanos()) {
      return new TimeoutException(
          "upstream not done within a total wait of " + settings.totalWait().toMillis() + " ms");
    }
    arm(streamingDelay(now));
    return null;
  }

  TimeoutException headersTimeout() {
    return timeout("no response headers within ");
  }

  private long responseTimeout() {
    return settings.responseTimeout().toNanos();
  }

  private long headersLeft(long now) {
    return responseTimeout() - (now - startedAt);
  }

  /** Time spent waiting on the upstream so far, the current wait included. */
  private long waitedBy(long now) {
    return waited + (waitingSince >= 0 ? now - waitingSince : 0);
  }

  /** Until the next deadline of a streaming call: silence or total wait, whichever is first. */
  private long streamingDelay(long now) {
    long silence = waitingSince >= 0 ? responseTimeout() - (now - waitingSince) : responseTimeout();
    long total = settings.totalWait().toNanos() - waitedBy(now);
    return Math.max(1, Math.min(silence, total));
  }

  private void arm(long delayNanos) {
    timer =
        loop.schedule(
            () -> {
              timer = null;
              onTick.run();
            },
            delayNanos,
            TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private TimeoutException timeout(String what) {
    return new TimeoutException(what + settings.responseTimeout().toMillis() + " ms");
  }
}
