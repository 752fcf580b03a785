package io.docshift.stores.http;

import io.netty.channel.EventLoop;
import java.util.ArrayDeque;

/**
 * Idle keep-alive connections of one event loop, touched only on that loop (no locks). Last in,
 * first out, so a steady load keeps reusing the same few warm connections; connections that the
 * server closed or that outlived the keep-alive time are dropped when met.
 */
final class LoopPool {
  private final EventLoop loop;
  private final int maxIdle;
  private final long keepAliveNanos;
  private final ArrayDeque<UpstreamHandler> idle = new ArrayDeque<>();

  LoopPool(EventLoop loop, UpstreamSettings settings) {
    this.loop = loop;
    this.maxIdle = settings.maxIdlePerLoop();
    this.keepAliveNanos = settings.keepAlive().toNanos();
  }

  EventLoop loop() {
    return loop;
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

  /** Takes back a connection whose exchange completed; closes it when the pool is full. */
  void release(UpstreamHandler connection) {
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

  void closeAll() {
    UpstreamHandler connection;
    while ((connection = idle.pollFirst()) != null) {
      connection.channel().close();
    }
  }
}
