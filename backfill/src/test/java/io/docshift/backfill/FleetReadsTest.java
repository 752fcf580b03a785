package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.metrics.ReadLatency;
import io.docshift.core.retry.Sleeper;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.RecentOutcomes;
import io.docshift.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet's reads as the backfill sees them, from per-minute counts two proxies add to a real H2
 * ledger, and the pacer's answer to them.
 */
class FleetReadsTest {
  private final MutableClock clock =
      new MutableClock(Instant.parse("2026-12-05T10:00:10Z").truncatedTo(ChronoUnit.SECONDS));
  private final Ledger ledger = Runs.h2Ledger(clock);

  @AfterEach
  void close() {
    ledger.close();
  }

  private void proxyRead(String instance, ReadLatency bucket, long count) {
    Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    ledger
        .recentOutcomes()
        .add(
            instance,
            Map.of(new RecentOutcomes.Key(minute, ReadLatency.KIND, bucket.name()), count));
  }

  @Test
  void aLookSeesWhatTheWholeFleetReadSinceTheLastOne() {
    FleetReads fleet = new FleetReads(ledger::recentOutcomes, clock, 500);
    proxyRead("a", ReadLatency.UNDER_100_MS, 400);
    assertThat(fleet.sinceLastLook()).as("the first look is the baseline").isEqualTo(ReadLoad.NONE);

    proxyRead("a", ReadLatency.UNDER_100_MS, 90);
    proxyRead("b", ReadLatency.UNDER_1_S, 7);
    proxyRead("b", ReadLatency.FAULT, 3);
    proxyRead("a", ReadLatency.UNDER_500_MS, 1);
    assertThat(fleet.sinceLastLook()).isEqualTo(new ReadLoad(101, 3, 7));
    assertThat(fleet.sinceLastLook()).as("nothing new").isEqualTo(new ReadLoad(0, 0, 0));

    clock.advance(Duration.ofSeconds(55)); // the next minute: a row of its own
    proxyRead("a", ReadLatency.SLOWER, 2);
    ledger
        .recentOutcomes()
        .add(
            "b",
            Map.of(
                new RecentOutcomes.Key(
                    clock.instant().truncatedTo(ChronoUnit.MINUTES), "fallback", "S3_5XX"),
                9L));
    assertThat(fleet.sinceLastLook()).isEqualTo(new ReadLoad(2, 0, 2));
  }

  @Test
  void thePacerSlowsTheRunWhileTheFleetSuffersAndSpeedsItUpAfter() {
    List<String> paces = new CopyOnWriteArrayList<>();
    BackfillMetrics metrics = new PaceRecorder(paces);
    PaceOptions options = PaceOptions.defaults();
    FleetReads fleet = new FleetReads(ledger::recentOutcomes, clock, options.p99Millis());
    Sleeper none = d -> {};
    try (Pacer pacer = new Pacer(options, fleet, 8, metrics, none)) {
      pacer.look();
      proxyRead("a", ReadLatency.UNDER_100_MS, 500);
      proxyRead("b", ReadLatency.UNDER_2500_MS, 50); // 9 % of reads at 1 s or more: p99 > 500 ms
      pacer.look();
      proxyRead("a", ReadLatency.FAULT, 30);
      proxyRead("a", ReadLatency.UNDER_100_MS, 970);
      pacer.look();
      pacer.look(); // quiet: no reads
      proxyRead("a", ReadLatency.UNDER_250_MS, 1_000);
      pacer.look();
    }
    assertThat(paces).containsExactly("slowed 4", "slowed 2", "sped_up 3", "sped_up 4");
  }

  @Test
  void aFastFleetsTailIsVisibleBelow100Milliseconds() {
    FleetReads fleet = new FleetReads(ledger::recentOutcomes, clock, 25);
    fleet.sinceLastLook();
    proxyRead("a", ReadLatency.UNDER_25_MS, 900);
    proxyRead("a", ReadLatency.UNDER_50_MS, 60); // 25-50 ms: slow at a 25 ms p99
    proxyRead("b", ReadLatency.UNDER_100_MS, 40);
    assertThat(fleet.sinceLastLook()).isEqualTo(new ReadLoad(1_000, 0, 100));
  }

  @Test
  void aThresholdThatIsNoBucketBoundIsRefusedByName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new PaceOptions(true, 300, 1.0, Duration.ofSeconds(5), 0))
        .hasMessageContaining(
            "p99Millis: 300 (expected: one of 25, 50, 100, 250, 500, 1000, 2500)");
  }
}
