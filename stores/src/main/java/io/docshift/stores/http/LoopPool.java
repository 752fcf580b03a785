package io.docshift.stores.http;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeoutException;

/**
 * The connections of one event loop, touched only on that loop (no locks): the idle keep-alive
 * ones, last in, first out, so a steady load keeps reusing the same few warm connections
 * (connections that the server closed or that outlived the keep-alive time are dropped when met);
 * the count of all open ones against the loop's cap; and the calls waiting in line for one when the
 * cap is reached, served in order as connections come back or close.
 */
final class LoopPool {
  /** Calls that may wait per connection of the cap; more are refused at once. */
  static final int WAITING_PER_CONNECTION = 4;

  private final EventLoop loop;
  private final int maxIdle;
  private final long keepAliveNanos;
  private final int maxOpen;
  private final int maxWaiting;
  private final ArrayDeque<UpstreamHandler> idle = new ArrayDeque<>();
  private final ArrayDeque<UpstreamExchange> waiting = new ArrayDeque<>();
  private final LoopDeadlines deadlines;
  private int open;

  /**
   * @param maxOpen most connections open on this loop at once
   */
  LoopPool(EventLoop loop, UpstreamSettings settings, int maxOpen) {
    this.loop = loop;
    this.deadlines = new LoopDeadlines(loop);
    this.maxIdle = settings.maxIdlePerLoop();
    this.keepAliveNanos = settings.keepAlive().toNanos();
    this.maxOpen = maxOpen;
    this.maxWaiting =
        maxOpen > Integer.MAX_VALUE / WAITING_PER_CONNECTION
            ? Integer.MAX_VALUE
            : maxOpen * WAITING_PER_CONNECTION;
  }

  EventLoop loop() {
    return loop;
  }

  /** The one timer of this loop's calls. */
  LoopDeadlines deadlines() {
    return deadlines;
  }

  /** A live idle connection, or null when there is none. */
  UpstreamHandler poll() {
    long now = System.nanoTime();
    UpstreamHandler connection;
    while ((connection = idle.pollFirst()) != null) {
      if (connection.channel().isActive() && now - connection.idleSince() < keepAliveNanos) {
        return connection;
      }
      connection.channel().close();
    }
    return null;
  }

  /** Whether a new connection stays within the cap. */
  boolean mayConnect() {
    return open < maxOpen;
  }

  /** A connection of this loop was created (counted until it closes). */
  void opened() {
    open++;
  }

  /** A connection of this loop closed: its place goes to the first call in line. */
  void closed() {
    open--;
    UpstreamExchange next = waiting.poll();
    if (next != null) {
      next.granted(null);
    }
  }

  /**
   * Waiting for a connection is answered as a timeout, so a caller falls back as for a slow one.
   */
  TimeoutException noConnection(Duration connectTimeout, String why) {
    return new TimeoutException(
        "no connection free within "
            + connectTimeout.toMillis()
            + " ms ("
            + open
            + " open on this loop, "
            + why
            + ")");
  }

  /** Puts {@code exchange} in line for a connection; false when the line is full. */
  boolean await(UpstreamExchange exchange) {
    if (waiting.size() >= maxWaiting) {
      return false;
    }
    waiting.add(exchange);
    return true;
  }

  /** Takes {@code exchange} out of line (it timed out or was dropped). */
  void leave(UpstreamExchange exchange) {
    waiting.remove(exchange);
  }

  /**
   * Takes back a connection whose exchange completed: to the first call in line if any, else to the
   * idle ones; closes it when those are full.
   */
  void release(UpstreamHandler connection) {
    UpstreamExchange next = waiting.poll();
    if (next != null) {
      next.granted(connection);
      return;
    }
    long now = System.nanoTime();
    UpstreamHandler oldest;
    while ((oldest = idle.peekLast()) != null
        && (!oldest.channel().isActive() || now - oldest.idleSince() >= keepAliveNanos)) {
      idle.pollLast().channel().close();
    }
    if (idle.size() >= maxIdle) {
      connection.channel().close();
      return;
    }
    connection.idle(now);
    idle.addFirst(connection);
  }

  /** Connections currently idle here (for tests). */
  int idleCount() {
    return idle.size();
  }

  /** Closes the idle connections and lets the calls in line find the client closed. */
  void closeAll() {
    UpstreamHandler connection;
    while ((connection = idle.pollFirst()) != null) {
      connection.channel().close();
    }
    UpstreamExchange next;
    while ((next = waiting.poll()) != null) {
      next.granted(null);
    }
  }
}
