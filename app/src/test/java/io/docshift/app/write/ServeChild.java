package io.docshift.app.write;

import io.docshift.app.ChildJvm;
import io.docshift.app.ChildLog;
import io.docshift.testkit.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code docshift serve} in a child JVM on a free port, so a test can {@code kill -9} it ({@link
 * #kill()}) in the middle of requests and start another one on the same stores and ledger. A start
 * or a later wait that fails says why with the tail of the child's log ({@link ChildLog}, which
 * also keeps the whole log past the test's temporary directory).
 */
final class ServeChild implements AutoCloseable {
  /** What serve prints once it is up, its signal handlers included. */
  private final Process process;

  private final int port;
  private final int adminPort;
  private final ChildLog log;

  private ServeChild(Process process, int port, int adminPort, ChildLog log) {
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
    this.log = log;
  }

  /**
   * Starts {@code serve --config conf} plus {@code --set} overrides, logging to {@code log};
   * returns once its ports accept connections and it printed its banner (within 60 s each), so a
   * SIGTERM from then on is drained.
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
    long logged = Files.exists(log) ? Files.size(log) : 0;
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ServeChild child = new ServeChild(process, port, admin, new ChildLog(log));
    child.awaitStarted(logged);
    return child;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  /** {@code logged}: the log's length before this child, which appends to it. */
  private void awaitStarted(long logged) throws InterruptedException {
    try {
      // The admin API starts last: once it accepts, the whole instance is up. Its signal handlers
      // come just after (a SIGTERM before them is the JVM's: an exit with no drain), and serve
      // prints its banner once they are in place.
      awaitListening(port);
      awaitListening(adminPort);
      Eventually.until(
          Duration.ofSeconds(60), () -> bannerSince(logged), "serve to print its banner");
    } catch (AssertionError notListening) {
      kill();
      throw log.failure("serve did not start: " + notListening.getMessage(), notListening);
    }
  }

  /** Waits (60 s at most) until this serve process accepts connections on {@code port}. */
  private void awaitListening(int port) {
    Eventually.until(Duration.ofSeconds(60), () -> accepts(port), "serve to listen on " + port);
  }

  /** Whether this child's part of the log (from byte {@code logged} on) holds the banner. */
  private boolean bannerSince(long logged) throws IOException {
    try (FileChannel file = FileChannel.open(log.file())) {
      String since =
          new String(
              Channels.newInputStream(file.position(logged)).readAllBytes(),
              StandardCharsets.UTF_8);
      if (since.contains(ChildJvm.SERVE_BANNER)) {
        return true;
      }
    }
    if (!process.isAlive()) {
      throw new AssertionError(
          "serve exited with code " + process.exitValue() + " before its banner");
    }
    return false;
  }

  private boolean accepts(int port) {
    try {
      new Socket("127.0.0.1", port).close();
      return true;
    } catch (IOException notYet) {
      if (!process.isAlive()) {
        throw new AssertionError("serve exited with code " + process.exitValue(), notYet);
      }
      return false;
    }
  }

  /**
   * A failure about this child: {@code what}, the tail of its log, and where the whole log was
   * kept; for a test's own wait on the child.
   */
  AssertionError failure(String what, Throwable cause) {
    return log.failure(what, cause);
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
      throw log.failure("serve still running " + seconds + " s later", null);
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
      throw log.failure("serve survived SIGKILL for 30 s", null);
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
