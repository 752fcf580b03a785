package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code autoRevert.*} keys: defaults equal the built-in rules, every key reaches its rule. */
class AutoRevertKeysTest {
  @TempDir Path dir;

  @Test
  void defaultsAreTheBuiltInRules() {
    assertThat(DocShiftConfig.defaults().autoRevert()).isEqualTo(AutoRevertSettings.defaults());
  }

  @Test
  void everyKeyFromAFileReachesItsRule() throws IOException {
    Path file = dir.resolve("docshift.conf");
    Files.writeString(
        file,
        """
        autoRevert.enabled = false
        autoRevert.dryRun = true
        autoRevert.windowSeconds = 120
        autoRevert.failureRatePercent = 12
        autoRevert.minimumVolume = 400
        autoRevert.p99ThresholdMillis = 1500
        autoRevert.consecutiveFailures = 0
        """);
    assertThat(DocShiftConfig.builder().file(file).build().autoRevert())
        .isEqualTo(
            new AutoRevertSettings(
                false, true, Duration.ofSeconds(120), 12, 400, Duration.ofMillis(1500), 0));
  }

  @Test
  void theEnvironmentSetsARule() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .environment(Map.of("DOCSHIFT_AUTOREVERT_FAILURERATEPERCENT", "25"))
            .build();
    assertThat(config.autoRevert().failureRatePercent()).isEqualTo(25);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "autoRevert.windowSeconds|0|autoRevert.windowSeconds: 0 (expected: integer 1..600)",
        "autoRevert.windowSeconds|601|autoRevert.windowSeconds: 601 (expected: integer 1..600)",
        "autoRevert.failureRatePercent|101"
            + "|autoRevert.failureRatePercent: 101 (expected: integer 0..100)",
        "autoRevert.minimumVolume|0"
            + "|autoRevert.minimumVolume: 0 (expected: integer 1..100000000)",
        "autoRevert.p99ThresholdMillis|-5"
            + "|autoRevert.p99ThresholdMillis: -5 (expected: integer 0..3600000)",
        "autoRevert.consecutiveFailures|ten"
            + "|autoRevert.consecutiveFailures: ten (expected: integer 0..1000000)",
        "autoRevert.dryRun|maybe|autoRevert.dryRun: maybe (expected: true or false)",
      })
  void anInvalidRuleNamesKeyValueAndExpectation(String key, String value, String error) {
    ConfigException e =
        assertThrows(ConfigException.class, DocShiftConfig.builder().override(key, value)::build);
    assertThat(e.errors()).containsExactly(error);
  }
}
