package io.docshift.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class MicrometerMetricsRecorderTest {
  private static final Optional<ResourceType> RAW = Optional.of(ResourceType.RAW);
  private static final Optional<ResourceType> IMAGE = Optional.of(ResourceType.IMAGE);

  @Test
  void requestsAreTimedUnderBoundedTagsAndFallbacksCountedByCause() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerMetricsRecorder metrics = new MicrometerMetricsRecorder(registry);
    metrics.request(Operation.GET, Optional.of(Backend.S3), RAW, Outcome.SUCCESS, 1_000_000);
    metrics.request(Operation.GET, Optional.of(Backend.S3), RAW, Outcome.SUCCESS, 3_000_000);
    metrics.request(Operation.GET, Optional.of(Backend.S3), IMAGE, Outcome.SUCCESS, 5_000_000);
    metrics.request(Operation.REJECT, Optional.empty(), Optional.empty(), Outcome.CLIENT_ERROR, 10);
    metrics.fallback(Outcome.S3_TIMEOUT);
    metrics.ledgerLookupFailure();

    var s3 =
        registry
            .get(MicrometerMetricsRecorder.REQUESTS)
            .tags("operation", "get", "backend", "s3", "outcome", "success")
            .tag("resource_type", "raw")
            .timer();
    assertThat(s3.count()).isEqualTo(2);
    assertThat(
            registry
                .get(MicrometerMetricsRecorder.REQUESTS)
                .tags(
                    "operation",
                    "get",
                    "backend",
                    "s3",
                    "resource_type",
                    "image",
                    "outcome",
                    "success")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(MicrometerMetricsRecorder.REQUESTS)
                .tags("operation", "reject", "backend", "none", "resource_type", "none")
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

  @Test
  void latencyIsAPercentileHistogramPerOperationAndBackend() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Map<String, DistributionStatisticConfig> configs = new ConcurrentHashMap<>();
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                configs.put(id.getName(), config);
                return config;
              }
            });
    MicrometerMetricsRecorder metrics = new MicrometerMetricsRecorder(registry);
    metrics.request(Operation.GET, Optional.of(Backend.S3), RAW, Outcome.SUCCESS, 2_000_000);
    metrics.request(Operation.GET, Optional.of(Backend.S3), IMAGE, Outcome.S3_TIMEOUT, 9_000_000);

    Timer latency =
        registry
            .get(MicrometerMetricsRecorder.LATENCY)
            .tags("operation", "get", "backend", "s3")
            .timer();
    assertThat(latency.getId().getTags())
        .extracting(Tag::getKey)
        .containsOnly("operation", "backend");
    assertThat(latency.count()).isEqualTo(2);
    DistributionStatisticConfig histogram = configs.get(MicrometerMetricsRecorder.LATENCY);
    assertThat(histogram.isPercentileHistogram()).isTrue();
    assertThat(histogram.getMinimumExpectedValueAsDouble()).isEqualTo(1e6); // 1 ms in ns
    assertThat(histogram.getMaximumExpectedValueAsDouble()).isEqualTo(120e9); // 2 min
    assertThat(configs.get(MicrometerMetricsRecorder.REQUESTS).isPercentileHistogram())
        .isNotEqualTo(true);
  }

  @Test
  void theQueriedSeriesExistAtZeroBeforeAnyTraffic() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new MicrometerMetricsRecorder(registry);

    assertThat(
            count(
                registry, MicrometerMetricsRecorder.REQUESTS, "backend", "s3", "outcome", "s3_5xx"))
        .isZero();
    assertThat(
            count(
                registry,
                MicrometerMetricsRecorder.REQUESTS,
                "operation",
                "get",
                "backend",
                "cloudinary",
                "outcome",
                "success"))
        .isZero();
    assertThat(registry.get(MicrometerMetricsRecorder.LATENCY).timers()).hasSize(2);
    assertThat(registry.get(MicrometerMetricsRecorder.FALLBACKS).counters()).hasSize(5);
    assertThat(registry.get(MicrometerMetricsRecorder.SHADOW).counters())
        .extracting(c -> c.getId().getTag("outcome"))
        .containsExactlyInAnyOrder("matched", "mismatched", "error", "shed");
    assertThat(registry.get(MicrometerMetricsRecorder.SECONDARY_WRITES).counters()).hasSize(2);
    assertThat(registry.get(MicrometerMetricsRecorder.REPAIRS).counters()).hasSize(2);
    assertThat(registry.get(MicrometerMetricsRecorder.FAILOVERS).counters())
        .extracting(c -> c.getId().getTag("cause") + "/" + c.getId().getTag("outcome"))
        .contains("s3_connect/spliced", "s3_timeout/mismatch")
        .hasSize(8);
    assertThat(registry.get(MicrometerMetricsRecorder.CONNECTIONS_CLOSED).counters())
        .extracting(c -> c.getId().getTag("reason"))
        .containsExactlyInAnyOrder(
            "idle",
            "header_deadline",
            "body_deadline",
            "write_stall",
            "response_rate",
            "response_deadline");
    registry
        .getMeters()
        .forEach(m -> m.measure().forEach(ms -> assertThat(ms.getValue()).isZero()));
  }

  @Test
  void shadowSecondaryWriteAndRepairHooksCountUnderBoundedTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerMetricsRecorder metrics = new MicrometerMetricsRecorder(registry);
    metrics.shadow(ShadowOutcome.MISMATCHED, "none");
    metrics.shadow(ShadowOutcome.IGNORED, "client_cancelled");
    metrics.shadow(ShadowOutcome.IGNORED, "credentials/nurse-4711.pdf"); // not a rule name
    metrics.secondaryWrite(Backend.S3, Outcome.S3_CONNECT);
    metrics.repair("put", Outcome.SUCCESS);
    metrics.repair("put", Outcome.SUCCESS);
    metrics.repair(null, Outcome.LOCAL_ERROR);

    assertThat(count(registry, MicrometerMetricsRecorder.SHADOW, "outcome", "mismatched"))
        .isEqualTo(1);
    assertThat(
            count(
                registry,
                MicrometerMetricsRecorder.SHADOW,
                "outcome",
                "ignored",
                "rule",
                "client_cancelled"))
        .isEqualTo(1);
    assertThat(count(registry, MicrometerMetricsRecorder.SHADOW, "rule", "other")).isEqualTo(1);
    assertThat(
            count(
                registry,
                MicrometerMetricsRecorder.SECONDARY_WRITES,
                "backend",
                "s3",
                "outcome",
                "s3_connect"))
        .isEqualTo(1);
    assertThat(
            count(
                registry,
                MicrometerMetricsRecorder.REPAIRS,
                "operation",
                "put",
                "outcome",
                "success"))
        .isEqualTo(2);
    assertThat(count(registry, MicrometerMetricsRecorder.REPAIRS, "operation", "other"))
        .isEqualTo(1);
    assertThat(registry.getMeters())
        .allSatisfy(
            m -> assertThat(m.getId().getTags()).noneMatch(t -> t.getValue().contains("/")));
  }

  @Test
  void limitClosesHedgesAndFailoversCountUnderTheirTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MicrometerMetricsRecorder metrics = new MicrometerMetricsRecorder(registry);
    metrics.secondaryWrite(Backend.S3, Outcome.S3_5XX);
    metrics.repair("put", Outcome.S3_TIMEOUT);
    metrics.connectionClosed(ConnectionLimit.WRITE_STALL);
    metrics.hedge(HedgeOutcome.CLOUDINARY_WON);
    metrics.failover(Outcome.S3_CONNECT, FailoverOutcome.SPLICED);
    metrics.failover(Outcome.S3_TIMEOUT, FailoverOutcome.MISMATCH);
    metrics.failover(Outcome.S3_CONNECT, FailoverOutcome.REFUSED);
    metrics.failover(Outcome.S3_CONNECT, FailoverOutcome.FAILED);

    assertThat(count(registry, MicrometerMetricsRecorder.SECONDARY_WRITES, "outcome", "s3_5xx"))
        .isEqualTo(1);
    assertThat(count(registry, MicrometerMetricsRecorder.REPAIRS, "outcome", "s3_timeout"))
        .isEqualTo(1);
    assertThat(
            count(registry, MicrometerMetricsRecorder.CONNECTIONS_CLOSED, "reason", "write_stall"))
        .isEqualTo(1);
    assertThat(count(registry, MicrometerMetricsRecorder.HEDGES, "outcome", "cloudinary_won"))
        .isEqualTo(1);
    assertThat(
            count(
                registry,
                MicrometerMetricsRecorder.FAILOVERS,
                "cause",
                "s3_connect",
                "outcome",
                "spliced"))
        .isEqualTo(1);
    assertThat(count(registry, MicrometerMetricsRecorder.FAILOVERS)).isEqualTo(4);
  }

  /** Sum of counts (counters or timers) of {@code name} with the given tags. */
  private static double count(SimpleMeterRegistry registry, String name, String... tags) {
    return registry.find(name).tags(tags).meters().stream()
        .mapToDouble(
            m ->
                m instanceof Timer t
                    ? t.count()
                    : ((io.micrometer.core.instrument.Counter) m).count())
        .sum();
  }
}
