package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every ledger contract on a real PostgreSQL (embedded binaries from Maven Central), one fresh
 * database per test: the same migrations and operations as on H2, and concurrent claimers on
 * separate pools.
 */
class PostgresLedgerTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws IOException {
    postgres = EmbeddedPostgres.start();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  static LedgerSettings.Builder freshDatabase() {
    String name = "ledger_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement statement = c.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return LedgerSettings.builder(postgres.getJdbcUrl("postgres", name))
        .credentials("postgres", "");
  }

  @Nested
  class ChangesOnPostgres extends ChangesContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return freshDatabase();
    }
  }

  @Nested
  class CountsOnPostgres extends CountsContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return freshDatabase();
    }
  }

  @Nested
  class DocumentsOnPostgres extends DocumentsContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return freshDatabase();
    }
  }

  @Nested
  class ProgressOnPostgres extends ProgressContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return freshDatabase();
    }
  }

  @Nested
  class ClaimsOnPostgres extends ClaimsContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return freshDatabase();
    }
  }

  @Nested
  class OutboxOnPostgres extends OutboxContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return freshDatabase();
    }
  }

  @Nested
  class DeleteTokensOnPostgres extends DeleteTokensContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return freshDatabase();
    }
  }

  @Nested
  class DeletesOnPostgres extends DeletesContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return freshDatabase();
    }
  }

  @Nested
  class RecordsOnPostgres extends RecordsContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return freshDatabase();
    }
  }

  @Test
  void migrationsAreRecordedOnceAndReopeningIsANoOp() throws SQLException {
    LedgerSettings settings = freshDatabase().build();
    try (Ledger first = Ledger.open(settings)) {
      first.documents().upsert(LedgerFixture.asset("a", 1, null), UpsertOrigin.WRITE);
    }
    try (Ledger second = Ledger.open(settings)) {
      assertThat(second.documents().find(LedgerFixture.key("a"))).isPresent();
    }
    try (Connection c = DriverManager.getConnection(settings.url(), "postgres", "");
        Statement statement = c.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL"
                    + " ORDER BY installed_rank")) {
      for (String version :
          new String[] {
            "1", "2", "3", "4.1", "5.20", "5.30", "6.11", "6.12", "6.13", "7.10", "8.41", "8.95",
            "9.17"
          }) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("version")).isEqualTo(version);
        assertThat(rs.getBoolean("success")).isTrue();
      }
      assertThat(rs.next()).isFalse();
    }
  }
}
