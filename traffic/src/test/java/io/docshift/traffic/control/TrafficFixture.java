package io.docshift.traffic.control;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.testkit.MutableClock;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.ff4j.Ff4jTrafficStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real ff4j store on an in-memory H2 ledger per test, controls with a hand-moved clock and
 * ticker, and a background executor that runs only when the test says so.
 */
abstract class TrafficFixture {
  static final TrafficState INITIAL = new TrafficState(50, WriteMode.DUAL_S3_PRIMARY, 5);

  /** Trips after 3 faults in a row; rate rule needs 4 calls; 10 s window. */
  static final AutoRevertSettings RULES =
      new AutoRevertSettings(true, false, Duration.ofSeconds(10), 50, 4, Duration.ZERO, 3);

  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  static final MutableClock clock = new MutableClock(START);
  static Ledger ledger;

  final AtomicLong nanos = new AtomicLong();
  final Queue<Runnable> background = new ArrayDeque<>();
  final Executor later = background::add;
  final List<String> trips = new ArrayList<>();
  TrafficStore store;

  /** One database per class (Flyway is the slow part); each test empties what it touches. */
  @BeforeAll
  static void openLedger() {
    ledger =
        Ledger.open(
            LedgerSettings.builder("jdbc:h2:mem:traffic-" + UUID.randomUUID())
                .clock(clock)
                .maxPoolSize(4)
                .build());
  }

  @AfterAll
  static void closeLedger() {
    ledger.close();
  }

  @BeforeEach
  final void freshState() throws SQLException {
    clock.set(START);
    try (Connection c = ledger.dataSource().getConnection();
        Statement statement = c.createStatement()) {
      statement.execute("DELETE FROM audit_events");
      statement.execute(
          "DELETE FROM FF4J_PROPERTIES WHERE PROPERTY_ID <> 'docshift.traffic.revision'");
      statement.execute("UPDATE FF4J_PROPERTIES SET CURRENTVALUE = '0'");
    }
    store = Ff4jTrafficStore.open(ledger.dataSource(), TrafficControlState.initial(INITIAL, RULES));
  }

  /** A control whose background work waits in {@link #background}. */
  TrafficControl control() {
    return control(later);
  }

  TrafficControl control(Executor executor) {
    return TrafficControl.builder(store, ledger.audit())
        .clock(clock)
        .ticker(nanos::get)
        .executor(executor)
        .metrics((rule, dryRun) -> trips.add(rule + (dryRun ? " dry run" : "")))
        .build();
  }

  void runBackground() {
    for (Runnable task; (task = background.poll()) != null; ) {
      task.run();
    }
  }

  static void fail(TrafficControl control, int times) {
    for (int i = 0; i < times; i++) {
      control.guard().recordS3(true, Duration.ofMillis(5));
    }
  }
}
