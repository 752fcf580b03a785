package io.docshift.stores.http;

import java.util.concurrent.TimeoutException;

/**
 * The clock of one {@link UpstreamExchange}, on its event loop. No response headers within the
 * response timeout (connect and the wait for a connection included), or a body the consumer asked
 * for that stays silent that long, is a timeout; so are waits on the upstream (headers plus every
 * body read asked for) that add up to the total wait, a store that trickles bytes just often enough
 * to never be silent. Time the consumer takes between reads is not counted. The call keeps only its
 * next deadline, in a field; the loop's one timer ({@link LoopDeadlines}) runs it when that passes.
 */
final class ExchangeDeadlines {
  private final UpstreamSettings settings;
  private final LoopDeadlines clock;
  private final Runnable onTick;
  private final long startedAt;
  private long waitingSince = -1;
  private long waited;
  private long due = LoopDeadlines.NONE;

  /** The place of this call on its loop's list ({@link LoopDeadlines} keeps them). */
  boolean listed;

  ExchangeDeadlines previous;
  ExchangeDeadlines next;

  /**
   * @param onTick runs when the call's deadline passed; it asks {@link #headersPassed} or {@link
   *     #bodyPassed} which one it was (they set the next deadline when none was)
   */
  ExchangeDeadlines(UpstreamSettings settings, LoopDeadlines clock, Runnable onTick) {
    this.settings = settings;
    this.clock = clock;
    this.onTick = onTick;
    this.startedAt = clock.now();
  }

  /** The call starts: its headers are due within the response timeout. */
  void start() {
    dueIn(clock.now(), responseTimeout());
  }

  /** The call waits in line for a connection: at most the connect timeout. */
  void inLine() {
    long now = clock.now();
    dueIn(now, Math.min(settings.connectTimeout().toNanos(), headersLeft(now)));
  }

  /** The call left the line: its headers are still due when they were. */
  void outOfLine() {
    long now = clock.now();
    dueIn(now, Math.max(1, headersLeft(now)));
  }

  /** The headers came: from now on the body's silence and the total wait count. */
  void headersArrived() {
    long now = clock.now();
    waited = now - startedAt;
    dueIn(now, streamingDelay(now));
  }

  /** The consumer asked for more of the body: the upstream's silence counts from now. */
  void bodyAsked() {
    if (waitingSince < 0) {
      waitingSince = clock.now();
    }
  }

  /** A part of the body came: the wait for it is added to the total. */
  void bodyArrived() {
    if (waitingSince >= 0) {
      waited += clock.now() - waitingSince;
    }
    waitingSince = -1;
  }

  /** The call is over: no deadline any more. */
  void stop() {
    due = LoopDeadlines.NONE;
    clock.forget(this);
  }

  /** When this call's deadline passes, or {@link LoopDeadlines#NONE}. */
  long due() {
    return due;
  }

  /** The deadline passed: the call asks which one. */
  void fire() {
    due = LoopDeadlines.NONE;
    onTick.run();
  }

  /** Whether the headers' time is up (for a call that waited in line). */
  boolean headersDue() {
    return headersLeft(clock.now()) <= 0;
  }

  /** The timeout of headers that did not come in time, or null after setting their deadline. */
  TimeoutException headersPassed() {
    long now = clock.now();
    long elapsed = now - startedAt;
    if (elapsed >= responseTimeout()) {
      return headersTimeout();
    }
    dueIn(now, responseTimeout() - elapsed);
    return null;
  }

  /** The timeout of a body too silent or too slow in total, or null after setting the next. */
  TimeoutException bodyPassed() {
    long now = clock.now();
    if (waitingSince >= 0 && now - waitingSince >= responseTimeout()) {
      return timeout("no body bytes for ");
    }
    if (waitedBy(now) >= settings.totalWait().toNanos()) {
      return new TimeoutException(
          "upstream not done within a total wait of " + settings.totalWait().toMillis() + " ms");
    }
    dueIn(now, streamingDelay(now));
    return null;
  }

  TimeoutException headersTimeout() {
    return timeout("no response headers within ");
  }

  private void dueIn(long now, long delayNanos) {
    due = now + delayNanos;
    clock.watch(this);
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

  private TimeoutException timeout(String what) {
    return new TimeoutException(what + settings.responseTimeout().toMillis() + " ms");
  }
}
