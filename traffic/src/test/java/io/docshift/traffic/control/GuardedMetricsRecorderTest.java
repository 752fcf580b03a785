package io.docshift.traffic.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.ConnectionLimit;
import io.docshift.core.metrics.FailoverOutcome;
import io.docshift.core.metrics.HedgeOutcome;
import io.docshift.core.metrics.MicrometerMetricsRecorder;
import io.docshift.core.metrics.ShadowOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The guard in front of the recorder passes every report on; only S3 reads feed auto-revert. */
class GuardedMetricsRecorderTest extends TrafficFixture {
  @Test
  void shadowSecondaryWriteRepairAndLimitCloseReportsReachTheRegistryThroughTheGuard() {
    TrafficControl control = control();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GuardedMetricsRecorder guarded =
        new GuardedMetricsRecorder(new MicrometerMetricsRecorder(registry), control.guard());

    guarded.shadow(ShadowOutcome.MISMATCHED, "none");
    guarded.secondaryWrite(Backend.S3, Outcome.S3_5XX);
    guarded.repair("put", Outcome.S3_TIMEOUT);
    guarded.connectionClosed(ConnectionLimit.WRITE_STALL);
    guarded.hedge(HedgeOutcome.CLOUDINARY_WON);

    assertThat(count(registry, MicrometerMetricsRecorder.SHADOW, "outcome", "mismatched"))
        .isEqualTo(1);
    assertThat(count(registry, MicrometerMetricsRecorder.SECONDARY_WRITES, "outcome", "s3_5xx"))
        .isEqualTo(1);
    assertThat(count(registry, MicrometerMetricsRecorder.REPAIRS, "outcome", "s3_timeout"))
        .isEqualTo(1);
    assertThat(
            count(registry, MicrometerMetricsRecorder.CONNECTIONS_CLOSED, "reason", "write_stall"))
        .isEqualTo(1);
    assertThat(count(registry, MicrometerMetricsRecorder.HEDGES, "outcome", "cloudinary_won"))
        .isEqualTo(1);
    assertThat(control.guard().snapshot().requests()).as("not read evidence").isZero();
  }

  @Test
  void aFailoverCountsAgainstS3OnlyWhenTheRequestWillNotCarryS3sFailure() {
    TrafficControl control = control();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GuardedMetricsRecorder guarded =
        new GuardedMetricsRecorder(new MicrometerMetricsRecorder(registry), control.guard());

    guarded.failover(Outcome.S3_CONNECT, FailoverOutcome.SPLICED);
    guarded.failover(Outcome.S3_TIMEOUT, FailoverOutcome.MISMATCH);
    assertThat(control.guard().snapshot().failures()).isEqualTo(2);
    // These end the client's request with S3's failure, which the request report counts.
    guarded.failover(Outcome.S3_CONNECT, FailoverOutcome.REFUSED);
    guarded.failover(Outcome.S3_CONNECT, FailoverOutcome.FAILED);
    assertThat(control.guard().snapshot().failures()).isEqualTo(2);

    assertThat(
            registry
                .get(MicrometerMetricsRecorder.FAILOVERS)
                .tag("cause", "s3_connect")
                .tag("outcome", "spliced")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry.get(MicrometerMetricsRecorder.FAILOVERS).counters().stream()
                .mapToDouble(c -> c.count())
                .sum())
        .isEqualTo(4);
  }

  private static double count(SimpleMeterRegistry registry, String name, String tag, String value) {
    return registry.get(name).tag(tag, value).counter().count();
  }
}
