package io.docshift.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.metrics.ShadowOutcome;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowCountsTest {
  @Test
  void countsOutcomesByOutcomeAndRule() {
    ShadowCounts counts = new ShadowCounts();
    counts.shadow(ShadowOutcome.MATCHED, "none");
    counts.shadow(ShadowOutcome.MATCHED, "none");
    counts.shadow(ShadowOutcome.IGNORED, "etag");
    assertThat(counts.count("matched/none")).isEqualTo(2);
    assertThat(counts.total()).isEqualTo(3);
    assertThat(counts.awaitTotal(3)).isEqualTo(Map.of("ignored/etag", 1, "matched/none", 2));
    counts.clear();
    assertThat(counts.snapshot()).isEmpty();
  }

  @Test
  void aWaitForACountThatNeverComesFailsWithTheCountsSeen() {
    ShadowCounts counts = new ShadowCounts(Duration.ofMillis(50));
    counts.shadow(ShadowOutcome.MATCHED, "none");
    assertThatThrownBy(() -> counts.await("matched/none", 2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("last seen: {matched/none=1}");
  }
}
