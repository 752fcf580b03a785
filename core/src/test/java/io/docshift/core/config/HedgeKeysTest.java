package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code read.hedge.*} keys: off by default, one key turns it on, validation messages. */
class HedgeKeysTest {
  @Test
  void hedgingIsOffByDefault() {
    assertThat(DocShiftConfig.defaults().hedge())
        .isEqualTo(new HedgeConfig(false, 95, 5, 20, 500, 5));
    assertThat(HedgeConfig.off()).isEqualTo(DocShiftConfig.defaults().hedge());
  }

  @Test
  void oneKeyTurnsItOnAndTheEnvironmentSetsTheRest() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .environment(Map.of("DOCSHIFT_READ_HEDGE_BUDGETPERCENT", "10"))
            .override("read.hedge.enabled", "true")
            .override("read.hedge.delayPercentile", "90")
            .build();
    assertThat(config.hedge()).isEqualTo(new HedgeConfig(true, 90, 5, 20, 500, 10));
  }

  @Test
  void outOfRangeValuesAreRefusedWithTheExpectedRange() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                DocShiftConfig.builder()
                    .override("read.hedge.delayPercentile", "100")
                    .override("read.hedge.budgetPercent", "-1")
                    .build());
    assertThat(e.getMessage())
        .contains("read.hedge.delayPercentile: 100 (expected: integer 1..99)")
        .contains("read.hedge.budgetPercent: -1 (expected: integer 0..100)");
  }

  @Test
  void aMaximumBelowTheMinimumIsRefused() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                DocShiftConfig.builder()
                    .override("read.hedge.minDelayMillis", "300")
                    .override("read.hedge.maxDelayMillis", "200")
                    .build());
    assertThat(e.getMessage())
        .contains(
            "read.hedge.maxDelayMillis: 200 (expected: integer >= read.hedge.minDelayMillis)");
  }
}
