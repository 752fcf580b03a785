package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ledger gauges read a poll, not the database: a scrape between polls sees the last poll's values,
 * a failed poll keeps them and is counted.
 */
class MicrometerLedgerMetricsTest {
  private static final String MD5 = "0123456789abcdef0123456789abcdef";
  private static final String SHA = "ab".repeat(32);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final Ledger ledger =
      Ledger.open(
          LedgerSettings.builder("jdbc:h2:mem:gauges-" + UUID.randomUUID()).clock(clock).build());
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    ledger.close();
  }

  @Test
  void gaugesShowTheLastPollAndFollowTheLedgerOnTheNext() {
    for (String id : new String[] {"a", "b", "c"}) {
      ledger.documents().upsert(asset(id), UpsertOrigin.LISTING);
    }
    verify("a");
    ledger.outbox().enqueue(key("b"), RepairOperation.PUT, "s3 put timed out");
    clock.advance(Duration.ofSeconds(90));

    try (MicrometerLedgerMetrics metrics =
        MicrometerLedgerMetrics.start(registry, ledger, Duration.ofHours(1))) {
      assertThat(documents("absent")).isEqualTo(2);
      assertThat(documents("verified")).isEqualTo(1);
      assertThat(gauge("docshift.migration.progress.percent")).isCloseTo(33.33, within());
      assertThat(gauge("docshift.migration.remaining")).isEqualTo(2);
      assertThat(gauge("docshift.repair.outbox.depth")).isEqualTo(1);
      assertThat(gauge("docshift.repair.outbox.oldest.age")).isEqualTo(90);

      verify("b");
      assertThat(documents("verified")).as("no database read per scrape").isEqualTo(1);

      metrics.poll();
      assertThat(documents("verified")).isEqualTo(2);
      assertThat(gauge("docshift.migration.remaining")).isEqualTo(1);

      ledger.close(); // the database goes away
      metrics.poll();
      assertThat(documents("verified")).as("kept").isEqualTo(2);
      assertThat(registry.get("docshift.ledger.poll.failures").counter().count()).isEqualTo(1);
    }
  }

  private void verify(String id) {
    ledger.documents().markCopied(key(id), 1, MD5, SHA);
    ledger.documents().markVerified(key(id), 1, MD5, SHA);
  }

  private double documents(String state) {
    return registry.get("docshift.ledger.documents").tag("state", state).gauge().value();
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(0.01);
  }

  private static LedgerKey key(String id) {
    return new LedgerKey("demo", "image", "upload", id);
  }

  private static CloudinaryAsset asset(String id) {
    return new CloudinaryAsset(key(id), "pdf", 1, MD5, 1234);
  }
}
