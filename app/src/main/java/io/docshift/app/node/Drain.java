package io.docshift.app.node;

import io.docshift.core.config.ShutdownConfig;
import io.docshift.proxy.ProxyServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful stop of one instance, in the order a load balancer needs: report unready while still
 * accepting ({@code shutdown.readinessDelayMillis}, so the balancer's checks take the instance out
 * before a connection is refused), stop accepting and close idle connections, then give requests
 * and uploads in flight up to {@code shutdown.drainTimeoutMillis} to be answered. A second stop
 * signal ({@code hurry}) ends either wait at once. What is still open afterwards is closed by the
 * caller's ordinary close: an upload cut there was never acknowledged, and one acknowledged was
 * recorded before its answer was written.
 */
final class Drain {
  private static final Logger LOG = LoggerFactory.getLogger(Drain.class);

  private Drain() {}

  /**
   * Runs the drain; {@code unready} is called first.
   *
   * @return true when every connection closed within the bound, false when cut short
   */
  static boolean run(
      ShutdownConfig config, Runnable unready, ProxyServer server, CompletableFuture<Void> hurry)
      throws InterruptedException {
    unready.run();
    LOG.info("draining: unready, still accepting for {} ms", config.readinessDelayMillis());
    if (!waitFor(hurry, config.readinessDelayMillis())) {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      server.drain().addListener(f -> closed.complete(null));
      LOG.info("draining: not accepting; {} connections to finish", server.openConnections());
      waitFor(CompletableFuture.anyOf(closed, hurry), config.drainTimeoutMillis());
      if (closed.isDone()) {
        LOG.info("drained: every connection answered and closed");
        return true;
      }
    }
    LOG.warn("drain cut short: {} connections still open are closed", server.openConnections());
    return false;
  }

  /** Waits up to {@code millis} for {@code future}; returns whether it completed. */
  private static boolean waitFor(CompletableFuture<?> future, long millis)
      throws InterruptedException {
    try {
      future.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }
}
