package io.docshift.proxy.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.core.metrics.MetricsRecorder;
import io.docshift.core.metrics.Operation;
import io.docshift.core.metrics.ReadLatency;
import io.docshift.core.metrics.ShadowOutcome;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.ledger.S3State;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The fields behind the console's operations panels: workers and their leases, stored history. */
class GraphqlOpsTest extends GraphqlCase {
  final String folder = "o" + UUID.randomUUID().toString().substring(0, 8) + "/";

  @Test
  void workersAreWhoHoldsUnexpiredLeasesSinceWhenAndUntilWhen() throws Exception {
    for (int i = 0; i < 3; i++) {
      fx.seed(folder + i + ".pdf", ("%PDF " + i).getBytes(StandardCharsets.UTF_8));
    }
    Instant t0 = fx.clock.instant();
    EnumSet<S3State> absent = EnumSet.of(S3State.ABSENT);
    assertThat(fx.ledger.documents().claimBatch("backfill-a", Duration.ofSeconds(60), 2, absent))
        .hasSize(2);
    fx.clock.advance(Duration.ofSeconds(10));
    assertThat(fx.ledger.documents().claimBatch("backfill-b", Duration.ofSeconds(30), 5, absent))
        .hasSize(1);

    GraphqlFixture.Reply r = fx.post("{ workers { owner documents since nextExpiry lastExpiry } }");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.spent().path("ledgerQueries").asInt()).isEqualTo(1);
    JsonNode workers = r.data().path("workers");
    assertThat(workers).hasSize(2);
    assertThat(workers.path(0).path("owner").asText()).isEqualTo("backfill-a");
    assertThat(workers.path(0).path("documents").asLong()).isEqualTo(2);
    assertThat(workers.path(0).path("since").asText()).isEqualTo(t0.toString());
    assertThat(workers.path(0).path("lastExpiry").asText())
        .isEqualTo(t0.plusSeconds(60).toString());
    assertThat(workers.path(1).path("owner").asText()).isEqualTo("backfill-b");
    assertThat(workers.path(1).path("since").asText()).isEqualTo(t0.plusSeconds(10).toString());
    assertThat(workers.path(1).path("nextExpiry").asText())
        .isEqualTo(t0.plusSeconds(40).toString());

    // backfill-b's lease lapses first: it is no longer working on anything.
    fx.clock.advance(Duration.ofSeconds(35));
    JsonNode later = fx.post("{ workers { owner } }").data().path("workers");
    assertThat(later).hasSize(1);
    assertThat(later.path(0).path("owner").asText()).isEqualTo("backfill-a");
  }

  @Test
  void historyIsTheStoredMinuteSnapshotsOneAMinuteWhoeverTakesThem() throws Exception {
    byte[] one = "%PDF one".getBytes(StandardCharsets.UTF_8);
    var a = fx.seed(folder + "a.pdf", one);
    fx.seed(folder + "b.pdf", "%PDF two".getBytes(StandardCharsets.UTF_8));
    Instant t0 = fx.clock.instant();
    assertThat(fx.ledger.history().record()).isTrue();
    // A second instance in the same minute finds it taken.
    fx.clock.advance(Duration.ofSeconds(30));
    assertThat(fx.ledger.history().record()).isFalse();
    fx.putS3(a, one);
    fx.clock.advance(Duration.ofSeconds(30));
    assertThat(fx.ledger.history().record()).isTrue();

    GraphqlFixture.Reply r =
        fx.post(
            "{ migration { history(hours: 1) { at total verified byState { state count } } } }");
    assertThat(r.status()).isEqualTo(200);
    JsonNode points = r.data().path("migration").path("history");
    assertThat(points).hasSize(2);
    assertThat(points.path(0).path("at").asText()).isEqualTo(t0.toString());
    assertThat(points.path(0).path("total").asLong()).isEqualTo(2);
    assertThat(points.path(0).path("verified").asLong()).isZero();
    assertThat(points.path(1).path("at").asText()).isEqualTo(t0.plusSeconds(60).toString());
    assertThat(points.path(1).path("verified").asLong()).isEqualTo(1);
    assertThat(points.path(1).path("byState")).hasSize(S3State.values().length);

    GraphqlFixture.Reply refused = fx.post("{ migration { history(hours: 49) { at } } }");
    assertThat(refused.code()).isEqualTo("BAD_USER_INPUT");

    // Two days on, the next snapshot prunes the old ones.
    fx.clock.advance(Duration.ofDays(2).plusMinutes(1));
    assertThat(fx.ledger.history().record()).isTrue();
    assertThat(fx.ledger.history().since(Instant.EPOCH)).hasSize(1);
  }

  @Test
  void recentOutcomesAreTheFleetsFallbacksAndShadowOutcomesCountedPerMinute() throws Exception {
    try (OutcomeFeed a = OutcomeFeed.start(MetricsRecorder.NOOP, fx.ledger, fx.clock, "node-a");
        OutcomeFeed b = OutcomeFeed.start(MetricsRecorder.NOOP, fx.ledger, fx.clock, "node-b")) {
      a.fallback(Outcome.S3_5XX);
      a.fallback(Outcome.S3_5XX);
      b.fallback(Outcome.S3_5XX);
      b.shadow(ShadowOutcome.MISMATCHED, "none");
      b.shadow(ShadowOutcome.IGNORED, "unverified");
      a.flush();
      b.flush();
      // Counted an hour and a minute ago: outside the default window.
      fx.clock.advance(Duration.ofMinutes(61));
      a.fallback(Outcome.S3_TIMEOUT);
      a.flush();
      a.flush(); // nothing new: adds nothing
    }
    GraphqlFixture.Reply r =
        fx.post("{ recentOutcomes { kind outcome count instances lastMinute } }");
    assertThat(r.status()).isEqualTo(200);
    JsonNode rows = r.data().path("recentOutcomes");
    assertThat(rows).hasSize(1);
    assertThat(rows.path(0).path("outcome").asText()).isEqualTo("S3_TIMEOUT");

    JsonNode day =
        fx.post("{ recentOutcomes(minutes: 1440) { kind outcome count instances } }")
            .data()
            .path("recentOutcomes");
    assertThat(day).hasSize(4);
    assertThat(day.path(0).path("kind").asText()).isEqualTo("fallback");
    assertThat(day.path(0).path("outcome").asText()).isEqualTo("S3_5XX");
    assertThat(day.path(0).path("count").asLong()).isEqualTo(3);
    assertThat(day.path(0).path("instances").asInt()).isEqualTo(2);
    assertThat(day.path(1).path("outcome").asText()).isEqualTo("S3_TIMEOUT");
    assertThat(day.path(2).path("outcome").asText()).isEqualTo("IGNORED/unverified");
    assertThat(day.path(3).path("outcome").asText()).isEqualTo("MISMATCHED");
    assertThat(fx.post("{ recentOutcomes(minutes: 0) { kind } }").code())
        .isEqualTo("BAD_USER_INPUT");
  }

  /** The counts the backfill paces itself by: delivery reads only, by latency bucket or fault. */
  @Test
  void deliveryReadsAreCountedByLatencyBucketAndFault() throws Exception {
    try (OutcomeFeed a = OutcomeFeed.start(MetricsRecorder.NOOP, fx.ledger, fx.clock, "node-a")) {
      Optional<Backend> s3 = Optional.of(Backend.S3);
      long ms = 1_000_000L;
      a.request(Operation.GET, s3, Optional.empty(), Outcome.SUCCESS, 40 * ms);
      a.request(Operation.HEAD, s3, Optional.empty(), Outcome.SUCCESS, 90 * ms);
      a.request(Operation.GET, s3, Optional.empty(), Outcome.SUCCESS, 700 * ms);
      a.request(Operation.GET, s3, Optional.empty(), Outcome.S3_TIMEOUT, 5 * ms);
      a.request(Operation.UPLOAD, s3, Optional.empty(), Outcome.SUCCESS, 9_000 * ms);
      a.request(Operation.REJECT, Optional.empty(), Optional.empty(), Outcome.CLIENT_ERROR, ms);
      a.flush();
    }
    JsonNode rows =
        fx.post("{ recentOutcomes { kind outcome count } }").data().path("recentOutcomes");
    Map<String, Long> reads = new TreeMap<>();
    rows.forEach(
        row -> {
          assertThat(row.path("kind").asText()).isEqualTo(ReadLatency.KIND);
          reads.put(row.path("outcome").asText(), row.path("count").asLong());
        });
    assertThat(reads)
        .containsExactly(
            entry("FAULT", 1L),
            entry("UNDER_100_MS", 1L),
            entry("UNDER_1_S", 1L),
            entry("UNDER_50_MS", 1L));
  }
}
