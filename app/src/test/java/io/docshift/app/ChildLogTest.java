package io.docshift.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildLogTest {
  @TempDir Path dir;

  @Test
  void aFailureCarriesTheLastLinesOfTheLogOnly() throws Exception {
    Path log = dir.resolve("child.log");
    Files.write(log, IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).toList());

    AssertionError failure = new ChildLog(log).failure("child hung", null);
    String message = failure.getMessage();
    Path kept = Path.of(message.substring(message.indexOf("; log ") + 6, message.indexOf(", its")));
    assertThat(kept).hasSameBinaryContentAs(log);
    Files.delete(kept);

    assertThat(failure.getMessage())
        .startsWith("child hung; log ")
        .contains("ChildLogTest-child-")
        .contains("line " + (100 - ChildLog.TAIL_LINES + 1) + "\n")
        .doesNotContain("line " + (100 - ChildLog.TAIL_LINES) + "\n")
        .contains("line 100");
  }

  @Test
  void aChildThatNeverWroteSaysSo() {
    assertThat(new ChildLog(dir.resolve("none.log")).failure("child hung", null))
        .hasMessageContaining("never written")
        .hasMessageContaining("(no log)");
  }
}
