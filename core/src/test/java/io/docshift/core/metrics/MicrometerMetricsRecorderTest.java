package io.docshift.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MicrometerMetricsRecorderTest {
  @Test
  void requestsAreTimedUnderBoundedTagsAndFallbacksCountedByCause() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerMetricsRecorder metrics = new MicrometerMetricsRecorder(registry);
    metrics.request(Operation.GET, Optional.of(Backend.S3), Outcome.SUCCESS, 1_000_000);
    metrics.request(Operation.GET, Optional.of(Backend.S3), Outcome.SUCCESS, 3_000_000);
    metrics.request(Operation.REJECT, Optional.empty(), Outcome.CLIENT_ERROR, 10);
    metrics.fallback(Outcome.S3_TIMEOUT);
    metrics.ledgerLookupFailure();

    var s3 =
        registry
            .get(MicrometerMetricsRecorder.REQUESTS)
            .tags("operation", "get", "backend", "s3", "outcome", "success")
            .timer();
    assertThat(s3.count()).isEqualTo(2);
    assertThat(
            registry
                .get(MicrometerMetricsRecorder.REQUESTS)
                .tags("operation", "reject", "backend", "none")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MicrometerMetricsRecorder.FALLBACKS)
                .tag("cause", "s3_timeout")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(MicrometerMetricsRecorder.LEDGER_FAILURES).counter().count())
        .isEqualTo(1);
  }
}
