package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code shutdown.*} keys: defaults, overrides, and the validation message. */
class ShutdownKeysTest {
  @Test
  void defaultsGiveBalancersFiveSecondsAndRequestsThirty() {
    assertThat(DocShiftConfig.defaults().shutdown()).isEqualTo(new ShutdownConfig(5_000, 30_000));
  }

  @Test
  void theEnvironmentAndOverridesSetThem() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .environment(Map.of("DOCSHIFT_SHUTDOWN_READINESSDELAYMILLIS", "0"))
            .override("shutdown.drainTimeoutMillis", "1500")
            .build();
    assertThat(config.shutdown()).isEqualTo(new ShutdownConfig(0, 1_500));
  }

  @Test
  void aNegativeDelayIsRefusedWithTheExpectedRange() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> DocShiftConfig.builder().override("shutdown.readinessDelayMillis", "-1").build());
    assertThat(e.getMessage())
        .contains("shutdown.readinessDelayMillis: -1 (expected: integer 0..600000)");
  }
}
