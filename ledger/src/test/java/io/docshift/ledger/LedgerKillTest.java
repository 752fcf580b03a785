package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A committed ledger row survives {@code kill -9} of the process that committed it, at once: a
 * child JVM enqueues repairs on an H2 file ledger, reporting each after its commit returned, and is
 * killed (SIGKILL) the moment it reports the last one. Every reported row is in the file.
 */
@Timeout(120)
class LedgerKillTest {
  private static final int ROWS = 25;

  @TempDir Path dir;

  @Test
  void everyCommittedRowSurvivesAKillRightAfterTheCommit() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("ledger");
    Process child = child(url);
    int reported = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("committed ")) {
          reported = Integer.parseInt(line.substring("committed ".length()));
          if (reported == ROWS) {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            break;
          }
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(reported).isEqualTo(ROWS);

    try (Ledger reopened = Ledger.open(LedgerSettings.builder(url).build())) {
      assertThat(reopened.outbox().stats().depth()).isEqualTo(ROWS);
    }
  }

  private static Process child(String url) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            LedgerKillTest.class.getName(),
            url,
            Integer.toString(ROWS))
        .redirectErrorStream(true)
        .start();
  }

  /** The child: commits {@code args[1]} rows one by one, reports each, then waits to be killed. */
  public static void main(String[] args) throws Exception {
    Ledger ledger = Ledger.open(LedgerSettings.builder(args[0]).build());
    int rows = Integer.parseInt(args[1]);
    for (int i = 1; i <= rows; i++) {
      ledger.outbox().enqueue(LedgerFixture.key("doc-" + i), RepairOperation.PUT, "acknowledged");
      System.out.println("committed " + i);
      System.out.flush();
    }
    Thread.sleep(TimeUnit.MINUTES.toMillis(2));
  }
}
