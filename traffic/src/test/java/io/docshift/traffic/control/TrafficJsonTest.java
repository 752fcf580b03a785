package io.docshift.traffic.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.revert.TripRule;
import io.docshift.traffic.revert.WindowSnapshot;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrafficJsonTest {
  private static final TrafficControlState STATE =
      TrafficControlState.initial(
          new TrafficState(10, WriteMode.DUAL_CLOUDINARY_PRIMARY, 5),
          AutoRevertSettings.defaults());

  private static TrafficChange change(String json) {
    return TrafficJson.readChange(TrafficJson.parse(json));
  }

  @Test
  void aChangeReadsEveryDialAndRule() {
    TrafficChange change =
        change(
            "{\"s3ReadPercent\": 25, \"writeMode\": \"DUAL_S3_PRIMARY\", \"shadowPercent\": 1,"
                + " \"reason\": \"ramp\", \"autoRevert\": {\"enabled\": false, \"dryRun\": true,"
                + " \"windowSeconds\": 60, \"failureRatePercent\": 2, \"minimumVolume\": 9,"
                + " \"p99Millis\": 800, \"consecutiveFailures\": 4}}");
    TrafficControlState after = change.applyTo(STATE);

    assertThat(after.traffic()).isEqualTo(new TrafficState(25, WriteMode.DUAL_S3_PRIMARY, 1));
    assertThat(after.autoRevert())
        .isEqualTo(
            new AutoRevertSettings(
                false, true, Duration.ofSeconds(60), 2, 9, Duration.ofMillis(800), 4));
  }

  @Test
  void invalidAndUnknownFieldsAreAllNamed() {
    assertThatThrownBy(() -> change("{\"s3ReadPercent\": 130}"))
        .hasMessage("s3ReadPercent: 130 (expected: 0..100)");
    assertThatThrownBy(() -> change("{\"writeMode\": \"S3_FIRST\"}"))
        .hasMessageStartingWith("writeMode: \"S3_FIRST\" (expected: one of [CLOUDINARY_ONLY,");
    assertThatThrownBy(() -> change("{\"s3ReadPercent\": \"ten\", \"weight\": 5}"))
        .hasMessageContaining("s3ReadPercent: \"ten\" (expected: an integer)")
        .hasMessageContaining("weight: 5 (expected: one of s3ReadPercent,");
    assertThatThrownBy(() -> change("{\"autoRevert\": {\"tripped\": false}}"))
        .hasMessageContaining("autoRevert.tripped: false (expected: not settable");
    assertThatThrownBy(() -> change("[1]")).hasMessageContaining("(expected: a JSON object)");
    assertThatThrownBy(() -> TrafficJson.parse("{"))
        .hasMessage("body: not JSON (expected: a JSON object)");
  }

  @Test
  void aLatchSurvivesTheRoundTripThroughJson() {
    RevertLatch latch =
        new RevertLatch(
            TripRule.P99_LATENCY,
            "S3 p99 latency over 800 ms",
            Instant.parse("2026-03-01T10:00:00Z"),
            new WindowSnapshot(Duration.ofSeconds(30), 120, 3, Duration.ofMillis(950), 0),
            STATE.traffic());

    assertThat(TrafficJson.readLatch(TrafficJson.write(latch))).isEqualTo(latch);
    String state = TrafficJson.text(TrafficJson.write(STATE.withLatch(latch)));
    assertThat(state)
        .contains("\"tripped\":true", "\"reason\":\"S3 p99 latency over 800 ms\"")
        .contains("\"preTrip\":{\"s3ReadPercent\":10");
  }
}
