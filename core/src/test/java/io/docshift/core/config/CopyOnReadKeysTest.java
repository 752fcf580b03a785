package io.docshift.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code read.copyOnRead.*} keys: off by default, every key reaches the section. */
class CopyOnReadKeysTest {
  @Test
  void offByDefaultWithABoundedBudget() {
    assertThat(DocShiftConfig.defaults().copyOnRead())
        .isEqualTo(new CopyOnReadConfig(false, 2, 8L << 20, 1000, 600_000));
  }

  @Test
  void everyKeyReachesTheSection() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .overrides(
                Map.of(
                    "read.copyOnRead.enabled", "TRUE",
                    "read.copyOnRead.maxConcurrent", "4",
                    "read.copyOnRead.maxBytesPerSecond", "0",
                    "read.copyOnRead.queueSize", "0",
                    "read.copyOnRead.retryAfterMillis", "5000"))
            .build();
    assertThat(config.copyOnRead()).isEqualTo(new CopyOnReadConfig(true, 4, 0, 0, 5000));
  }

  @Test
  void theEnvironmentTurnsItOn() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .environment(Map.of("DOCSHIFT_READ_COPYONREAD_ENABLED", "true"))
            .build();
    assertThat(config.copyOnRead().enabled()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "read.copyOnRead.enabled|yes|read.copyOnRead.enabled: yes (expected: true or false)",
        "read.copyOnRead.maxConcurrent|0"
            + "|read.copyOnRead.maxConcurrent: 0 (expected: integer 1..256)",
        "read.copyOnRead.maxBytesPerSecond|-1"
            + "|read.copyOnRead.maxBytesPerSecond: -1 (expected: integer 0..1099511627776)",
        "read.copyOnRead.queueSize|1000001"
            + "|read.copyOnRead.queueSize: 1000001 (expected: integer 0..1000000)",
        "read.copyOnRead.retryAfterMillis|soon"
            + "|read.copyOnRead.retryAfterMillis: soon (expected: integer 0..86400000)",
      })
  void anInvalidValueNamesKeyValueAndExpectation(String key, String value, String error) {
    ConfigException e =
        assertThrows(ConfigException.class, DocShiftConfig.builder().override(key, value)::build);
    assertThat(e.errors()).containsExactly(error);
  }
}
