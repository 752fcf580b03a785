package io.docshift.app.write;

import io.docshift.testkit.Eventually;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code docshift serve} in a child JVM on a free port, so a test can {@code kill -9} it ({@link
 * #kill()}) in the middle of requests and start another one on the same stores and ledger.
 */
final class ServeChild {
  private final Process process;
  private final int port;

  private ServeChild(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code serve --config conf} plus {@code --set} overrides, logging to {@code log};
   * returns once its proxy port accepts connections (within 60 s).
   */
  static ServeChild start(Path conf, Path log, String... sets) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                "io.docshift.app.Main",
                "serve",
                "--config",
                conf.toString(),
                "--set",
                "proxy.port=" + port,
                "--set",
                "admin.port=0"));
    for (String set : sets) {
      command.add("--set");
      command.add(set);
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ServeChild child = new ServeChild(process, port);
    try {
      awaitListening(process, port, log);
    } catch (AssertionError notListening) {
      child.kill();
      throw notListening;
    }
    return child;
  }

  /** Waits (60 s at most) until a started serve process accepts connections on {@code port}. */
  static void awaitListening(Process process, int port, Path log) {
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

  /** SIGTERM (orderly shutdown), then waits (30 s at most). */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
