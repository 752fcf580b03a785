package io.docshift.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.WriteMode;
import io.docshift.traffic.TrafficState;
import org.junit.jupiter.api.Test;

class SettableTrafficStateTest {
  @Test
  void theSettableStateChangesAtRunTime() {
    SettableTrafficState state =
        new SettableTrafficState(new TrafficState(0, WriteMode.CLOUDINARY_ONLY, 0));
    state.update(s -> s.withS3ReadPercent(40));
    assertThat(state.current().s3ReadPercent()).isEqualTo(40);
  }
}
