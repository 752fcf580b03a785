package io.docshift.core.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.WriteMode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TrafficStateTest {
  @Test
  void percentagesAreValidated() {
    assertThatThrownBy(() -> new TrafficState(101, WriteMode.CLOUDINARY_ONLY, 0))
        .hasMessage("s3ReadPercent: 101 (expected: 0..100)");
    assertThatThrownBy(() -> new TrafficState(0, WriteMode.CLOUDINARY_ONLY, -1))
        .hasMessage("shadowPercent: -1 (expected: 0..100)");
  }

  @Test
  void theSettableStateChangesAtRunTime() {
    SettableTrafficState state =
        new SettableTrafficState(new TrafficState(0, WriteMode.CLOUDINARY_ONLY, 0));
    state.update(s -> s.withS3ReadPercent(40));
    assertThat(state.current().s3ReadPercent()).isEqualTo(40);
  }

  @Test
  void theCacheIsNeverOlderThanItsStalenessAndSurvivesAFailingSource() {
    AtomicLong nanos = new AtomicLong();
    AtomicInteger reads = new AtomicInteger();
    SettableTrafficState source =
        new SettableTrafficState(new TrafficState(0, WriteMode.CLOUDINARY_ONLY, 0));
    boolean[] failing = {false};
    TrafficStateSource counted =
        () -> {
          reads.incrementAndGet();
          if (failing[0]) {
            throw new IllegalStateException("database down");
          }
          return source.current();
        };
    CachedTrafficState cached =
        CachedTrafficState.of(counted, Duration.ofSeconds(1), Runnable::run, nanos::get);
    source.set(new TrafficState(30, WriteMode.CLOUDINARY_ONLY, 0));
    assertThat(cached.current().s3ReadPercent()).isZero();
    nanos.addAndGet(Duration.ofMillis(1100).toNanos());
    assertThat(cached.current().s3ReadPercent()).isEqualTo(30);
    failing[0] = true;
    nanos.addAndGet(Duration.ofMillis(1100).toNanos());
    assertThat(cached.current().s3ReadPercent()).isEqualTo(30);
    assertThat(reads.get()).isGreaterThanOrEqualTo(3);
  }
}
