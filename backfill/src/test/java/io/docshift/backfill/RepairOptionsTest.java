package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.DocShiftConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code repair.*} keys reach the worker's options; bad values are named. */
class RepairOptionsTest {
  @Test
  void takesTheRepairSection() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .override("repair.enabled", "false")
            .override("repair.intervalMillis", "250")
            .override("repair.concurrency", "7")
            .override("repair.batchSize", "11")
            .override("repair.leaseMillis", "90000")
            .build();

    RepairOptions options = RepairOptions.builder(config.repair()).build();

    assertThat(config.repair().enabled()).isFalse();
    assertThat(options.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(options.concurrency()).isEqualTo(7);
    assertThat(options.batchSize()).isEqualTo(11);
    assertThat(options.visibility()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void defaultsMatchTheDefaultConfig() {
    RepairOptions fromConfig = RepairOptions.builder(DocShiftConfig.defaults().repair()).build();
    RepairOptions builtIn = RepairOptions.builder().build();

    assertThat(fromConfig.interval()).isEqualTo(builtIn.interval());
    assertThat(fromConfig.concurrency()).isEqualTo(builtIn.concurrency());
    assertThat(fromConfig.batchSize()).isEqualTo(builtIn.batchSize());
    assertThat(fromConfig.visibility()).isEqualTo(builtIn.visibility());
    assertThat(DocShiftConfig.defaults().repair().enabled()).isTrue();
  }

  @Test
  void namesAnInvalidValue() {
    assertThatThrownBy(() -> RepairOptions.builder().concurrency(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency: 0 (expected: 1..256)");
  }
}
