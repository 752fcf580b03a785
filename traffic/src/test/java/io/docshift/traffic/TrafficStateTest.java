package io.docshift.traffic;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.WriteMode;
import org.junit.jupiter.api.Test;

class TrafficStateTest {
  @Test
  void percentagesAreValidated() {
    assertThatThrownBy(() -> new TrafficState(101, WriteMode.CLOUDINARY_ONLY, 0))
        .hasMessage("s3ReadPercent: 101 (expected: 0..100)");
    assertThatThrownBy(() -> new TrafficState(0, WriteMode.CLOUDINARY_ONLY, -1))
        .hasMessage("shadowPercent: -1 (expected: 0..100)");
  }
}
