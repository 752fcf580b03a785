package io.docshift.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.testkit.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Console sessions in the ledger, on H2 and PostgreSQL: expiry by idle time and lifetime on a
 * shared wall clock, the capacity (oldest first), and only hashes stored.
 */
class ConsoleSessionsTest {
  private static EmbeddedPostgres postgres;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  private static Ledger ledger(String database) throws Exception {
    if (database.equals("h2")) {
      return Ledger.open(
          LedgerSettings.builder("jdbc:h2:mem:sessions-" + UUID.randomUUID()).build());
    }
    String name = "sessions_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement statement = c.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return Ledger.open(
        LedgerSettings.builder(postgres.getJdbcUrl("postgres", name))
            .credentials("postgres", "")
            .build());
  }

  private ConsoleSessions sessions(Ledger ledger, int capacity) {
    return new ConsoleSessions(
        ledger.consoleSessions(), Duration.ofMinutes(30), Duration.ofHours(12), capacity, clock);
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgres"})
  void idleAndLifetimeEndSessionsAndTheOldestGoFirst(String database) throws Exception {
    try (Ledger ledger = ledger(database)) {
      ConsoleSessions one = sessions(ledger, 2);
      ConsoleSessions.Session alice = one.open("alice");
      clock.advance(Duration.ofSeconds(1));
      ConsoleSessions.Session bob = one.open("bob");
      clock.advance(Duration.ofSeconds(1));
      // Another listener: the third session pushes out the oldest.
      ConsoleSessions.Session carol = sessions(ledger, 2).open("carol");
      assertThat(one.use(alice.id())).isEmpty();
      assertThat(one.use(bob.id()).orElseThrow().operator()).isEqualTo("bob");
      assertThat(one.use(carol.id()).orElseThrow().csrf()).isEqualTo(carol.csrf());
      assertThat(storedColumns(ledger))
          .contains("bob", "carol")
          .doesNotContain(carol.id(), carol.csrf());

      // Used every 20 minutes, carol stays; bob, unused for an hour, is gone.
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofMinutes(20));
        assertThat(one.use(carol.id())).isPresent();
      }
      assertThat(one.use(bob.id())).isEmpty();
      // However busy, twelve hours after sign-in it ends.
      for (int i = 0; i < 33; i++) {
        clock.advance(Duration.ofMinutes(20));
        one.use(carol.id());
      }
      assertThat(one.use(carol.id())).isEmpty();
      assertThat(storedColumns(ledger)).isEmpty();
    }
  }

  private static String storedColumns(Ledger ledger) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = ledger.dataSource().getConnection();
        Statement statement = c.createStatement();
        ResultSet rs = statement.executeQuery("SELECT * FROM console_sessions")) {
      while (rs.next()) {
        for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
          all.append(rs.getString(column)).append(' ');
        }
      }
    }
    return all.toString();
  }
}
