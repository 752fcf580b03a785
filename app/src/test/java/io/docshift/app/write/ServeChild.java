package io.docshift.app.write;

import io.docshift.app.ChildJvm;
import io.docshift.testkit.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code docshift serve} in a child JVM on a free port, so a test can {@code kill -9} it ({@link
 * #kill()}) in the middle of requests and start another one on the same stores and ledger.
 */
final class ServeChild implements AutoCloseable {
  private final Process process;
  private final int port;
  private final int adminPort;

  private ServeChild(Process process, int port, int adminPort) {
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
  }

  /**
   * Starts {@code serve --config conf} plus {@code --set} overrides, logging to {@code log};
   * returns once its proxy port accepts connections (within 60 s).
   */
  static ServeChild start(Path conf, Path log, String... sets) throws Exception {
    return start(conf, log, 0, 0, sets);
  }

  /**
   * As {@link #start(Path, Path, String...)} on the given proxy and admin ports (0: a free one), so
   * a restarted instance comes back where a load balancer expects it.
   */
  static ServeChild start(Path conf, Path log, int proxyPort, int adminPort, String... sets)
      throws Exception {
    int port = proxyPort == 0 ? freePort() : proxyPort;
    int admin = adminPort == 0 ? freePort() : adminPort;
    List<String> command =
        ChildJvm.command(
            "serve",
            "--config",
            conf.toString(),
            "--set",
            "proxy.port=" + port,
            "--set",
            "admin.port=" + admin,
            // No balancer to wait for unless a test says so: stop() drains at once.
            "--set",
            "shutdown.readinessDelayMillis=0");
    for (String set : sets) {
      command.add("--set");
      command.add(set);
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ServeChild child = new ServeChild(process, port, admin);
    child.awaitListening(log);
    return child;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  private void awaitListening(Path log) throws InterruptedException {
    try {
      // The admin API starts last: once it accepts, the whole instance is up.
      awaitListening(process, port, log);
      awaitListening(process, adminPort, log);
    } catch (AssertionError notListening) {
      kill();
      throw notListening;
    }
  }

  /** Waits (60 s at most) until a started serve process accepts connections on {@code port}. */
  private static void awaitListening(Process process, int port, Path log) {
    Eventually.until(
        Duration.ofSeconds(60),
        () -> accepts(process, port, log),
        "serve to listen on " + port + "; see " + log);
  }

  private static boolean accepts(Process process, int port, Path log) {
    try {
      new Socket("127.0.0.1", port).close();
      return true;
    } catch (IOException notYet) {
      if (!process.isAlive()) {
        throw new AssertionError("serve exited; see " + log, notYet);
      }
      return false;
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  int port() {
    return port;
  }

  /** {@code http://127.0.0.1:adminPort} (probes, traffic, metrics). */
  URI adminUrl() {
    return URI.create("http://127.0.0.1:" + adminPort);
  }

  int adminPort() {
    return adminPort;
  }

  /** Sends SIGTERM and returns at once (a second call sends another). */
  void terminate() {
    process.destroy();
  }

  /** Waits up to {@code seconds} for the process to end; returns its exit code. */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      kill();
      throw new AssertionError("serve still running " + seconds + " s later");
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, then waits (30 s at most) until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("serve survived SIGKILL for 30 s");
    }
  }

  /** Kills the child if it still runs, so a test that fails half-way leaves no process behind. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** SIGTERM (orderly shutdown), then waits (30 s at most). */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
