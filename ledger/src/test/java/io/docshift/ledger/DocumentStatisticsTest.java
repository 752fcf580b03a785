package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link Ledger#analyzeDocuments}: on PostgreSQL the planner learns the documents table's real size
 * after a bulk listing (its estimate was the empty table's); on H2 nothing is done.
 */
class DocumentStatisticsTest {
  private static final int ROWS = 1_200;

  private static List<CloudinaryAsset> listing() {
    List<CloudinaryAsset> assets = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      LedgerKey key = new LedgerKey("demo", "raw", "upload", "bulk/doc-" + i);
      assets.add(new CloudinaryAsset(key, null, 1, "0123456789abcdef0123456789abcdef", 100));
    }
    return assets;
  }

  @Test
  void postgresPlansForTheRowsTheListingAddedOnceAnalysed() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
        Ledger ledger =
            Ledger.open(
                LedgerSettings.builder(postgres.getJdbcUrl("postgres", "postgres"))
                    .credentials("postgres", "")
                    .build())) {
      // As a bulk listing finds it: autovacuum has not analysed the grown table yet.
      execute(ledger, "ALTER TABLE documents SET (autovacuum_enabled = false)");
      ledger.documents().upsertAll(listing(), UpsertOrigin.LISTING);
      assertThat(plannedRows(ledger)).isLessThan(ROWS);

      assertThat(ledger.analyzeDocuments()).isTrue();

      assertThat(plannedRows(ledger)).isEqualTo(ROWS);
    }
  }

  @Test
  void h2HasNothingToAnalyse() {
    try (Ledger ledger =
        Ledger.open(LedgerSettings.builder("jdbc:h2:mem:stats-" + UUID.randomUUID()).build())) {
      ledger.documents().upsertAll(listing(), UpsertOrigin.LISTING);

      assertThat(ledger.analyzeDocuments()).isFalse();
    }
  }

  private static void execute(Ledger ledger, String sql) throws Exception {
    try (Connection c = ledger.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The planner's estimate of the table's rows ({@code pg_class.reltuples}, -1 if never seen). */
  private static long plannedRows(Ledger ledger) throws Exception {
    try (Connection c = ledger.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT reltuples FROM pg_class WHERE relname = 'documents'")) {
      assertThat(rs.next()).isTrue();
      return (long) rs.getFloat(1);
    }
  }
}
