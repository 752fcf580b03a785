package io.docshift.app.write;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (from Debian, installed by {@code loadtest/install-tools.sh} when missing) on loopback in
 * front of {@code docshift serve} instances: round robin per request, no stickiness, each server
 * checked on its admin port's {@code /readyz} every 200 ms (down after two failures in a row, up
 * after two successes), so a draining instance is out of rotation well within its readiness delay.
 * A check may take a second: without {@code timeout check} the interval (200 ms) bounds it, and one
 * slow answer from an instance busy with a neighbour's start took it out of rotation.
 */
final class Haproxy implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A backend server: its name, proxy port and admin (probe) port. */
  record Server(String name, int port, int adminPort) {}

  private final Process process;
  private final int port;
  private final int statsPort;

  private Haproxy(Process process, int port, int statsPort) {
    this.process = process;
    this.port = port;
    this.statsPort = statsPort;
  }

  /** Writes the configuration into {@code dir} and starts HAProxy in the foreground. */
  static Haproxy start(Path dir, int port, int statsPort, List<Server> servers) throws Exception {
    String binary = binary();
    Path conf = dir.resolve("haproxy.cfg");
    Files.writeString(conf, config(port, statsPort, servers));
    Process process =
        new ProcessBuilder(binary, "-db", "-f", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy.log").toFile())
            .start();
    Haproxy haproxy = new Haproxy(process, port, statsPort);
    try {
      for (Server server : servers) {
        haproxy.awaitStatus(server.name(), "UP");
      }
      return haproxy;
    } catch (Exception | AssertionError e) {
      haproxy.close();
      throw e;
    }
  }

  private static String config(int port, int statsPort, List<Server> servers) {
    StringBuilder out =
        new StringBuilder(
            String.join(
                "\n",
                "global",
                "  maxconn 2000",
                "defaults",
                "  mode http",
                "  timeout connect 2s",
                "  timeout client 60s",
                "  timeout server 60s",
                "  retries 3",
                "  option redispatch 1",
                "  retry-on conn-failure empty-response",
                "frontend docshift",
                "  bind 127.0.0.1:" + port,
                "  default_backend fleet",
                "listen stats",
                "  bind 127.0.0.1:" + statsPort,
                "  stats enable",
                "  stats uri /stats",
                "backend fleet",
                "  balance roundrobin",
                "  option httpchk GET /readyz",
                "  http-check expect status 200",
                "  timeout check 1s",
                "  default-server inter 200ms fall 2 rise 2",
                ""));
    for (Server s : servers) {
      out.append("  server ")
          .append(s.name())
          .append(" 127.0.0.1:")
          .append(s.port())
          .append(" check port ")
          .append(s.adminPort())
          .append('\n');
    }
    return out.toString();
  }

  /** {@code haproxy} on the PATH, installed through the project's script when missing. */
  private static String binary() throws Exception {
    for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    Path script = repositoryRoot().resolve("loadtest/install-tools.sh");
    Process install =
        new ProcessBuilder("bash", script.toString(), "haproxy:haproxy").inheritIO().start();
    if (!install.waitFor(300, TimeUnit.SECONDS) || install.exitValue() != 0) {
      throw new AssertionError("HAProxy is missing and " + script + " could not install it");
    }
    return "haproxy";
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("loadtest"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("no loadtest/ above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** {@code http://127.0.0.1:port}, the balanced address. */
  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Waits (30 s at most) until HAProxy's status of {@code server} starts with {@code status}. */
  void awaitStatus(String server, String status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("haproxy exited with " + process.exitValue());
      }
      last = statuses().get(server);
      if (last != null && last.startsWith(status)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    throw new AssertionError(server + " not " + status + " in HAProxy within 30 s: " + last);
  }

  /** Server name to HAProxy status (UP, DOWN, ...) of the backend, from the stats CSV. */
  Map<String, String> statuses() throws InterruptedException {
    Map<String, String> byServer = new HashMap<>();
    String csv;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
              .timeout(Duration.ofSeconds(2))
              .build();
      csv = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException notYetListening) {
      return byServer;
    }
    String[] lines = csv.split("\n");
    List<String> header = Arrays.asList(lines[0].replaceFirst("^# ", "").split(","));
    int proxy = header.indexOf("pxname");
    int name = header.indexOf("svname");
    int status = header.indexOf("status");
    for (String line : Arrays.asList(lines).subList(1, lines.length)) {
      String[] cells = line.split(",", -1);
      if (cells.length > status && cells[proxy].equals("fleet")) {
        byServer.put(cells[name], cells[status]);
      }
    }
    return byServer;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
