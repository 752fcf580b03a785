package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A dual-write intent's reason names the S3 object's format, and only that reason is read so. */
class IntentReasonTest {
  @Test
  void theFormatAnIntentNamesIsReadBack() {
    String reason = IntentReason.dualWrite(Optional.of("pdf"));

    assertThat(reason).startsWith("dual-write in flight");
    assertThat(IntentReason.format(reason)).contains("pdf");
  }

  @Test
  void anIntentWithoutAFormatIsThePlainReason() {
    assertThat(IntentReason.dualWrite(Optional.empty())).isEqualTo("dual-write in flight");
    assertThat(IntentReason.format("dual-write in flight")).isEmpty();
  }

  @Test
  void otherReasonsAndUnsafeFormatsNameNoFormat() {
    assertThat(IntentReason.format("dual-write failed")).isEmpty();
    assertThat(IntentReason.format("dual-write in flight (S3 object format ../x)")).isEmpty();
    assertThat(IntentReason.dualWrite(Optional.of("a/b"))).isEqualTo("dual-write in flight");
  }

  @Test
  void aRenamesIntentIsDatedAndOnlyThatReasonReadsAsOne() {
    Instant at = Instant.parse("2026-12-06T06:30:01.123456Z");

    String reason = IntentReason.renamed(at);

    assertThat(IntentReason.renamedAt(reason)).contains(at);
    assertThat(IntentReason.format(reason)).isEmpty();
    assertThat(IntentReason.renamedAt("renamed from x")).isEmpty();
    assertThat(IntentReason.renamedAt("rename in flight since yesterday")).isEmpty();
    assertThat(IntentReason.renamedAt(IntentReason.dualWrite(Optional.of("pdf")))).isEmpty();
  }
}
