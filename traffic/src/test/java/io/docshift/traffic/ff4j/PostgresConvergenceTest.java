package io.docshift.traffic.ff4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.TrafficChange;
import io.docshift.traffic.control.TrafficControl;
import io.docshift.traffic.control.TrafficControlState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Two instances (own ledger pool, own ff4j store, own cache and poller, real time) on one
 * PostgreSQL: what one does, the other obeys within the 2 s the design promises.
 */
class PostgresConvergenceTest {
  private static final Duration PROMISE = Duration.ofSeconds(2);
  private static final TrafficControlState INITIAL =
      TrafficControlState.initial(
          new TrafficState(50, WriteMode.DUAL_S3_PRIMARY, 0),
          new AutoRevertSettings(true, false, Duration.ofSeconds(10), 50, 100, Duration.ZERO, 3));
  private static EmbeddedPostgres postgres;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private TrafficControl instance() {
    Ledger ledger =
        Ledger.open(
            LedgerSettings.builder(postgres.getJdbcUrl("postgres", "postgres"))
                .credentials("postgres", "")
                .maxPoolSize(3)
                .build());
    opened.add(ledger);
    TrafficControl control =
        TrafficControl.builder(Ff4jTrafficStore.open(ledger.dataSource(), INITIAL), ledger.audit())
            .build()
            .startPolling();
    opened.add(control);
    return control;
  }

  /** Polls every 10 ms until {@code seen}, at most the promise; returns how long it took. */
  private static Duration awaitWithinPromise(BooleanSupplier seen) throws InterruptedException {
    long start = System.nanoTime();
    while (!seen.getAsBoolean()) {
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMISE);
      Thread.sleep(10);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Test
  void aWeightSetThroughOneInstanceIsObeyedByTheOtherWithinTwoSeconds() throws Exception {
    TrafficControl a = instance();
    TrafficControl b = instance();
    int target = a.current().s3ReadPercent() == 25 ? 26 : 25;

    a.set(TrafficChange.builder().s3ReadPercent(target).build(), "alice", "ramp");
    Duration took = awaitWithinPromise(() -> b.current().s3ReadPercent() == target);

    LoggerFactory.getLogger(getClass()).info("weight converged in {} us", took.toNanos() / 1000);
  }

  @Test
  void aTripOnOneInstanceRevertsBothAndAResumeOnTheOtherRestoresBoth() throws Exception {
    TrafficControl a = instance();
    TrafficControl b = instance();
    if (a.state().tripped()) {
      a.resume("test", "start clean");
    }
    a.set(TrafficChange.builder().s3ReadPercent(40).build(), "alice", "ramp");
    awaitWithinPromise(() -> b.current().s3ReadPercent() == 40);

    for (int i = 0; i < 3; i++) {
      a.guard().recordS3(true, Duration.ofMillis(5));
    }
    assertThat(a.current().s3ReadPercent()).isZero(); // at once, on the detecting instance
    Duration took = awaitWithinPromise(() -> b.current().s3ReadPercent() == 0);
    assertThat(b.current().writeMode()).isEqualTo(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    awaitWithinPromise(() -> a.state().tripped() && b.state().tripped());

    b.resume("carol", "S3 healthy");
    awaitWithinPromise(() -> a.current().s3ReadPercent() == 40);
    awaitWithinPromise(() -> a.guard().tripped().isEmpty());
    assertThat(a.current().writeMode()).isEqualTo(WriteMode.DUAL_S3_PRIMARY);
    LoggerFactory.getLogger(getClass()).info("trip converged in {} us", took.toNanos() / 1000);
  }
}
