package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A serve child that fails to start says why, and its log outlives the test's directory. */
@Timeout(120)
class ServeChildTest {
  @TempDir Path dir;

  @Test
  void aChildThatExitsAtStartFailsWithItsLogsTailAndKeepsTheWholeLog() throws Exception {
    Path log = dir.resolve("serve-no-config.log");

    Throwable failure = catchThrowable(() -> ServeChild.start(dir.resolve("no-such.conf"), log));

    assertThat(failure).isInstanceOf(AssertionError.class);
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(lines).isNotEmpty();
    assertThat(failure.getMessage())
        .startsWith("serve did not start: serve exited with code ")
        .contains(lines.get(lines.size() - 1));
    String message = failure.getMessage();
    Path kept = Path.of(message.substring(message.indexOf("; log ") + 6, message.indexOf(", its")));
    assertThat(kept.getParent().getFileName()).hasToString("failed-children");
    assertThat(kept.getFileName().toString()).startsWith("ServeChildTest-serve-no-config-");
    assertThat(kept).hasSameBinaryContentAs(log);
    // Kept for a failure of this test only: target/failed-children holds real failures.
    Files.delete(kept);
  }
}
