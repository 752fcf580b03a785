package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.testkit.Eventually;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing stays in the upload spool: not the body of a client that leaves or stalls mid-upload, not
 * the runs of earlier processes.
 */
@Timeout(60)
class UploadSpoolTest {
  private static final String HEAD =
      "POST /v1_1/demo/raw/upload HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n";

  @RegisterExtension
  static final ProxyExtension PROXY =
      ProxyExtension.overStub(Map.of("proxy.idleTimeoutMillis", "500"));

  /** Waits until a call directory with part of the body exists, so the test cuts mid-body. */
  private static void awaitSpooling() throws Exception {
    Eventually.until(Duration.ofSeconds(5), UploadSpoolTest::anyCallDirectory, "a call directory");
  }

  private static boolean anyCallDirectory() throws IOException {
    try (var calls = Files.list(PROXY.fx().proxy.spoolDirectory())) {
      return calls.findAny().isPresent();
    }
  }

  @Test
  void aClientThatLeavesMidBodyLeavesNothing() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", PROXY.fx().proxy.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.ascii(HEAD + "--b\r\n" + "x".repeat(5000)));
      out.flush();
      awaitSpooling();
    }
    FramingTest.assertSpoolEmpty(PROXY.fx().proxy.spoolDirectory());
    assertThat(PROXY.backend().connections()).isZero();
  }

  @Test
  void aClientThatStallsMidBodyIsClosedAndLeavesNothing() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", PROXY.fx().proxy.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.ascii(HEAD + "--b\r\n" + "x".repeat(5000)));
      out.flush();
      awaitSpooling();
      // The idle timeout (500 ms) closes the connection; the read must not wait for 10 s.
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    FramingTest.assertSpoolEmpty(PROXY.fx().proxy.spoolDirectory());
  }

  @Test
  void aNewRunRemovesTheSpoolsOfDeadProcessesOnly(@TempDir Path root) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path dead = Files.createDirectories(root.resolve("run-" + gone.pid() + "-123/call-1"));
    Files.writeString(dead.resolve("body"), "left by a crash");
    Path live =
        Files.createDirectories(root.resolve("run-" + ProcessHandle.current().pid() + "-9"));
    Path other = Files.createDirectories(root.resolve("not-a-run"));

    Path mine;
    try (SpoolDirectory run = SpoolDirectory.open(root.toString())) {
      mine = run.path();
      assertThat(root.resolve("run-" + gone.pid() + "-123")).doesNotExist();
      assertThat(live).exists();
      assertThat(other).exists();
      assertThat(mine).exists().hasParent(root);
      Files.writeString(mine.resolve("body"), "in flight");
    }
    assertThat(mine).as("removed with its run").doesNotExist();
  }

  @Test
  void twoRunsStartingAtOnceBothClearTheSameDeadSpool(@TempDir Path root) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    ExecutorService starts = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 20; round++) {
        Path dead = Files.createDirectories(root.resolve("run-" + gone.pid() + "-" + round));
        for (int call = 0; call < 50; call++) {
          Files.writeString(
              Files.createDirectories(dead.resolve("call-" + call)).resolve("body"), "left");
        }
        CyclicBarrier together = new CyclicBarrier(2);
        Callable<Path> start =
            () -> {
              together.await();
              try (SpoolDirectory run = SpoolDirectory.open(root.toString())) {
                return run.path();
              }
            };
        Future<Path> a = starts.submit(start);
        Future<Path> b = starts.submit(start);
        assertThat(a.get()).as("round %d", round).isNotEqualTo(b.get());
        assertThat(dead).as("round %d", round).doesNotExist();
      }
    } finally {
      starts.shutdownNow();
    }
  }

  @Test
  void runDirectoryNamesCarryTheirProcess() {
    assertThat(SpoolDirectory.pid("run-4242-77")).contains(4242L);
    assertThat(SpoolDirectory.pid("run-x-77")).isEmpty();
    assertThat(SpoolDirectory.pid("call-4242-77")).isEmpty();
  }
}
