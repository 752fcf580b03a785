package io.docshift.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.docshift.testkit.FixedRandom;
import io.docshift.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh, empty ledger database per test, on whichever engine the concrete test names. The
 * contracts that extend it run unchanged on H2 and PostgreSQL.
 */
abstract class LedgerFixture {
  static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  static final Duration INITIAL_BACKOFF = Duration.ofSeconds(2);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  static final int JITTER_PERCENT = 50;
  static final double RANDOM = 0.5;
  static final int MISMATCH_LIMIT = 3;

  final MutableClock clock = new MutableClock(START);
  private final List<Ledger> opened = new ArrayList<>();
  private LedgerSettings.Builder database;
  Ledger ledger;

  /** A builder for a new, empty database (URL and credentials set). */
  abstract LedgerSettings.Builder newDatabase();

  @BeforeEach
  final void openLedger() {
    database = newDatabase();
    ledger = open();
  }

  @AfterEach
  final void closeLedgers() {
    opened.forEach(Ledger::close);
  }

  /** Another ledger instance (own pool) on this test's database. */
  final Ledger open() {
    LedgerSettings settings =
        database
            .clock(clock)
            .random(new FixedRandom(RANDOM))
            .repairBackoff(INITIAL_BACKOFF, MAX_BACKOFF, JITTER_PERCENT)
            .mismatchSampleLimit(MISMATCH_LIMIT)
            .maxPoolSize(4)
            .build();
    Ledger next = Ledger.open(settings);
    opened.add(next);
    return next;
  }

  /**
   * A pool on {@code settings}' database with the migrations up to {@code version} only: a ledger
   * as an older release left it. Keep it open while the test runs: an in-memory H2 database ends
   * with its last connection.
   */
  static HikariDataSource migratedTo(LedgerSettings settings, String version) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    HikariDataSource pool = new HikariDataSource(config);
    Flyway.configure()
        .dataSource(pool)
        .locations("classpath:db/migration")
        .target(version)
        .load()
        .migrate();
    return pool;
  }

  static LedgerKey key(String publicId) {
    return new LedgerKey("demo", "image", "upload", publicId);
  }

  static CloudinaryAsset asset(String publicId, long version, String etag) {
    return new CloudinaryAsset(key(publicId), "pdf", version, etag, 1234);
  }
}
