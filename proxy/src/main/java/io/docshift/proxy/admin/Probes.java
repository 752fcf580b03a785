package io.docshift.proxy.admin;

import io.docshift.core.thread.DaemonThreads;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * {@code GET /livez} and {@code GET /readyz} for load balancers and orchestrators: no token, and
 * nothing in the body but a status word, so an unauthenticated caller learns nothing about the
 * migration. Live means the admin listener answers. Ready means this instance can serve: the ledger
 * answers a cheap query within {@link #LEDGER_TIMEOUT_MILLIS} and the proxy listener accepts
 * connections. The traffic state needs no check of its own: the server is only built around a
 * {@code TrafficControl}, which reads the shared state when it is built (a start that cannot read
 * it fails), and keeps serving the last state it read.
 *
 * <p>The ledger query runs on a thread of its own: a pool waiting for a dead database can block for
 * its whole connection timeout, and a probe must answer within the balancer's. A probe that arrives
 * while an earlier query still hangs waits on that query rather than starting another, so a down
 * ledger never piles up blocked threads.
 */
final class Probes implements AutoCloseable {
  static final String LIVE = "/livez";
  static final String READY = "/readyz";
  static final long LEDGER_TIMEOUT_MILLIS = 1_000;
  private static final String TEXT = "text/plain; charset=utf-8";

  private final DataSource ledger;
  private final BooleanSupplier listenerAccepting;
  private final ExecutorService checker =
      Executors.newSingleThreadExecutor(DaemonThreads.named("docshift-readiness"));
  private CompletableFuture<Boolean> lastCheck;

  Probes(DataSource ledger, BooleanSupplier listenerAccepting) {
    this.ledger = ledger;
    this.listenerAccepting = listenerAccepting;
  }

  /** Whether {@code path} (without query) is a probe, answered before any authentication. */
  static boolean isProbe(String path) {
    return path.equals(LIVE) || path.equals(READY);
  }

  /** The answer to a probe; blocking (ledger I/O), so never on an event loop. */
  AdminResponse answer(HttpMethod method, String path) {
    if (!method.equals(HttpMethod.GET)) {
      return AdminResponse.notAllowed("GET");
    }
    if (path.equals(LIVE)) {
      return text(HttpResponseStatus.OK, "live");
    }
    return ready()
        ? text(HttpResponseStatus.OK, "ready")
        : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not ready");
  }

  /** Listener first: it is free, and a draining instance must go unready without a query. */
  boolean ready() {
    return listenerAccepting.getAsBoolean() && ledgerReachable();
  }

  private boolean ledgerReachable() {
    CompletableFuture<Boolean> check = check();
    try {
      return check.get(LEDGER_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private synchronized CompletableFuture<Boolean> check() {
    if (lastCheck == null || lastCheck.isDone()) {
      lastCheck = CompletableFuture.supplyAsync(this::query, checker);
    }
    return lastCheck;
  }

  private boolean query() {
    try (Connection connection = ledger.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) Math.max(1, LEDGER_TIMEOUT_MILLIS / 1000));
      statement.execute("SELECT 1");
      return true;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  private static AdminResponse text(HttpResponseStatus status, String word) {
    return new AdminResponse(status, TEXT, word + "\n", null, 0);
  }

  /** Stops the checker thread; a query still hanging is abandoned. */
  @Override
  public void close() {
    checker.shutdownNow();
  }
}
