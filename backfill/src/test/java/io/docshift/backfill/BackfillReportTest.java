package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackfillReportTest {
  @Test
  void finishedOnlyWithNothingLeftNothingFailedAndNoStop() {
    assertThat(report(0, Map.of(), false, Map.of()).finished()).isTrue();
    assertThat(report(0, Map.of(), false, Map.of()).whyUnfinished()).isEmpty();
    assertThat(report(2, Map.of(), false, Map.of()).finished()).isFalse();
    assertThat(report(0, Map.of(), true, Map.of()).finished()).isFalse();
    assertThat(report(1, Map.of("s3_forbidden", 1L), false, Map.of()).finished()).isFalse();
  }

  @Test
  void eachReasonIsNamedWithItsCount() {
    assertThat(report(4, Map.of("s3_forbidden", 2L), true, Map.of("host-a", 2L)).whyUnfinished())
        .containsExactly(
            "the run was stopped before the end; run it again to continue",
            "2 documents failed (s3_forbidden: 2); run again to retry",
            "2 documents are held by other workers that kept renewing their leases (host-a: 2);"
                + " they finish them, or run again once they have stopped");
    assertThat(report(3, Map.of(), false, Map.of()).whyUnfinished())
        .singleElement()
        .asString()
        .startsWith("3 documents are still to copy");
  }

  private static BackfillReport report(
      long remaining, Map<String, Long> failed, boolean stopped, Map<String, Long> elsewhere) {
    return new BackfillReport(
        Duration.ofSeconds(1),
        0,
        0,
        0,
        Map.of(),
        failed,
        0,
        remaining,
        100,
        true,
        0,
        0,
        Optional.empty(),
        stopped,
        0,
        elsewhere);
  }
}
