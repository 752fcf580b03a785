package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.DocShiftConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every ledger contract on H2, plus what is particular to the default H2 file ledger. */
class H2LedgerTest {
  static LedgerSettings.Builder inMemory() {
    return LedgerSettings.builder("jdbc:h2:mem:ledger-" + UUID.randomUUID());
  }

  @Nested
  class ChangesOnH2 extends ChangesContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return inMemory();
    }
  }

  @Nested
  class CountsOnH2 extends CountsContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return inMemory();
    }
  }

  @Nested
  class DocumentsOnH2 extends DocumentsContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return inMemory();
    }
  }

  @Nested
  class ProgressOnH2 extends ProgressContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return inMemory();
    }
  }

  @Nested
  class ClaimsOnH2 extends ClaimsContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return inMemory();
    }
  }

  @Nested
  class OutboxOnH2 extends OutboxContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return inMemory();
    }
  }

  @Nested
  class DeleteTokensOnH2 extends DeleteTokensContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return inMemory();
    }
  }

  @Nested
  class DeletesOnH2 extends DeletesContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return inMemory();
    }
  }

  @Nested
  class RecordsOnH2 extends RecordsContract {
    @Override
    LedgerSettings.Builder newDatabase() {
      return inMemory();
    }
  }

  /** The sandbox's proxy and a separate backfill process open the same file at once. */
  @Test
  void twoLedgersShareOneAutoServerFile(@TempDir Path dir) {
    String url = "jdbc:h2:file:" + dir.resolve("ledger") + ";AUTO_SERVER=TRUE";
    CloudinaryAsset a = LedgerFixture.asset("a", 100, null);
    CloudinaryAsset b = LedgerFixture.asset("b", 100, null);
    try (Ledger proxy = Ledger.open(LedgerSettings.builder(url).build());
        Ledger backfill = Ledger.open(LedgerSettings.builder(url).build())) {
      proxy.documents().upsert(a, UpsertOrigin.WRITE);
      backfill.documents().upsert(b, UpsertOrigin.LISTING);

      assertThat(backfill.documents().find(a.key())).isPresent();
      assertThat(proxy.documents().find(b.key())).isPresent();
      assertThat(proxy.documents().markDeleted(b.key(), "destroy")).isEqualTo(Transition.APPLIED);
      assertThat(backfill.documents().find(b.key()).orElseThrow().state())
          .isEqualTo(S3State.DELETED);
    }
    try (Ledger reopened = Ledger.open(LedgerSettings.builder(url).build())) {
      assertThat(reopened.documents().countByState()).containsEntry(S3State.ABSENT, 1L);
    }
  }

  @Test
  void aMigrationFailureIsALedgerException() throws Exception {
    String url = "jdbc:h2:mem:broken-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=0";
    try (Connection keepAlive = DriverManager.getConnection(url, "sa", "");
        Statement statement = keepAlive.createStatement()) {
      statement.execute("CREATE TABLE documents (id INT)");

      assertThatThrownBy(() -> Ledger.open(LedgerSettings.builder(url).build()))
          .isInstanceOf(LedgerException.class)
          .hasMessageContaining("cannot migrate ledger");
    }
  }

  @Test
  void anUnreachableDatabaseIsALedgerException() {
    LedgerSettings settings =
        LedgerSettings.builder("jdbc:postgresql://127.0.0.1:1/none")
            .credentials("nobody", "secret")
            .build();

    assertThatThrownBy(() -> Ledger.open(settings))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("cannot connect to ledger");
  }

  @Test
  void opensFromTheConfiguration() {
    DocShiftConfig config =
        DocShiftConfig.builder()
            .override("ledger.url", "jdbc:h2:mem:config-" + UUID.randomUUID())
            .override("ledger.mismatchSampleLimit", "1")
            .build();
    LedgerSettings settings = LedgerSettings.builder(config).build();
    assertThat(settings.maxPoolSize()).isEqualTo(config.ledger().maxPoolSize());
    assertThat(settings.mismatchSampleLimit()).isEqualTo(1);

    try (Ledger ledger = Ledger.open(settings)) {
      assertThat(ledger.outbox().stats().depth()).isZero();
    }
  }

  @Test
  void onlyH2AndPostgresUrlsAreAccepted() {
    assertThatThrownBy(() -> LedgerSettings.builder("jdbc:mysql://db/ledger"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:h2: or jdbc:postgresql:");
  }

  @Test
  void settingsNeverShowThePassword() {
    LedgerSettings settings =
        LedgerSettings.builder("jdbc:postgresql://db/ledger").credentials("app", "hunter2").build();

    assertThat(settings.toString()).doesNotContain("hunter2").contains("password=****");
  }

  /** H2 writes every commit to its file before the commit returns, whatever the URL said. */
  @Test
  void theFileLedgerHasNoWriteDelay(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("ledger") + ";WRITE_DELAY=500;AUTO_SERVER=TRUE";
    LedgerSettings settings = LedgerSettings.builder(url).build();

    assertThat(settings.connectUrl())
        .isEqualTo("jdbc:h2:file:" + dir.resolve("ledger") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0");
    try (Ledger ledger = Ledger.open(settings);
        Connection c = ledger.dataSource().getConnection();
        Statement statement = c.createStatement();
        java.sql.ResultSet rs =
            statement.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'WRITE_DELAY'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("0");
    }
  }
}
