package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The document counters ({@link DocumentCounts}) against a fresh {@code COUNT(*) GROUP BY} of the
 * rows, after random changes of every kind, concurrent changes from several pools, and transactions
 * that fail after touching rows.
 */
abstract class CountsContract extends LedgerFixture {
  private static final String FOLDER =
      "CASE WHEN POSITION('/' IN public_id) > 0"
          + " THEN SUBSTRING(public_id FROM 1 FOR POSITION('/' IN public_id) - 1) ELSE '' END";

  /** Per cloud/folder/state: {documents, bytes}, counted from the rows themselves. */
  Map<String, List<Long>> counted() throws SQLException {
    return query(
        "SELECT cloud, "
            + FOLDER
            + " AS folder, s3_state, COUNT(*) AS n, SUM(bytes) AS b FROM documents"
            + " GROUP BY cloud, "
            + FOLDER
            + ", s3_state");
  }

  /** The same from the counters, slots summed, counters at zero left out. */
  Map<String, List<Long>> kept() throws SQLException {
    return query(
        "SELECT cloud, folder, s3_state, SUM(documents) AS n, SUM(bytes) AS b"
            + " FROM document_counts GROUP BY cloud, folder, s3_state"
            + " HAVING SUM(documents) <> 0 OR SUM(bytes) <> 0");
  }

  private Map<String, List<Long>> query(String sql) throws SQLException {
    Map<String, List<Long>> cells = new TreeMap<>();
    try (Connection c = ledger.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        String cell = rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3);
        cells.put(cell, List.of(rs.getLong("n"), rs.getLong("b")));
      }
    }
    return cells;
  }

  void assertCountersMatchRows() throws SQLException {
    Map<String, List<Long>> counted = counted();
    assertThat(counted).isNotEmpty();
    assertThat(kept()).isEqualTo(counted);
  }

  private void verified(String publicId) {
    ledger.documents().upsert(asset(publicId, 1, CountsWorkload.MD5), UpsertOrigin.LISTING);
    ledger
        .documents()
        .markCopiedAndVerified(key(publicId), 1, CountsWorkload.MD5, CountsWorkload.SHA);
  }

  @Test
  void countersEqualAGroupedCountAfterRandomChangesOfEveryKind() throws SQLException {
    CountsWorkload workload = new CountsWorkload(ledger.documents(), 17, "w1");
    for (int i = 0; i < 600; i++) {
      if (i % 5 == 0) {
        workload.multiRowStep();
      } else {
        workload.step();
      }
      if (i % 150 == 149) {
        assertCountersMatchRows();
      }
    }
    assertCountersMatchRows();
    MigrationProgress.Tally tally = ledger.progress().tally();
    assertThat(ledger.documents().countByState()).isEqualTo(tally.documents());
    assertThat(tally.documents().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(counted().values().stream().mapToLong(v -> v.get(0)).sum());
  }

  @Test
  void countersEqualAGroupedCountAfterConcurrentChangesFromSeveralPools() throws Exception {
    new CountsWorkload(ledger.documents(), 99, "seed").seedAll();
    List<Ledger> pools = List.of(ledger, open(), open());
    runAtOnce(workloads(pools, 6, 100, 150));
    assertCountersMatchRows();
  }

  /** {@code count} random workloads spread over {@code pools}, {@code steps} changes each. */
  private static List<Callable<Void>> workloads(
      List<Ledger> pools, int count, int seed, int steps) {
    List<Callable<Void>> workers = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      CountsWorkload workload =
          new CountsWorkload(pools.get(t % pools.size()).documents(), seed + t, "w" + t);
      workers.add(
          () -> {
            for (int i = 0; i < steps; i++) {
              workload.step();
            }
            return null;
          });
    }
    return workers;
  }

  /** Runs {@code workers} at once (three minutes at most) and rethrows the first failure. */
  private static void runAtOnce(List<Callable<Void>> workers) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(workers.size());
    try {
      for (Future<Void> done : threads.invokeAll(workers, 3, TimeUnit.MINUTES)) {
        done.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aRecountCorrectsCountersThatDriftedAndSaysByHowMuch() throws SQLException {
    new CountsWorkload(ledger.documents(), 7, "seed").seedAll();
    assertThat(ledger.progress().recount()).isEqualTo(new MigrationProgress.Recount(24, 0, 0));

    // Changes made around the ledger: a row's state and a folder's counter, by hand.
    execute("UPDATE documents SET s3_state = 'mismatch' WHERE public_id = 'a/doc1'");
    execute(
        "UPDATE document_counts SET documents = documents + 5, bytes = bytes + 50"
            + " WHERE cloud = 'demo' AND folder = 'c' AND slot = 0 AND s3_state = 'absent'");
    assertThat(kept()).isNotEqualTo(counted());

    MigrationProgress.Recount recount = ledger.progress().recount();

    assertThat(recount.documents()).isEqualTo(24);
    assertThat(recount.countersCorrected()).isEqualTo(3); // a/absent, a/mismatch, c/absent
    assertThat(recount.documentsMiscounted()).isEqualTo(1 + 1 + 5);
    assertCountersMatchRows();
    assertThat(ledger.progress().recount().countersCorrected()).isZero();
  }

  @Test
  void aRecountWhileSeveralPoolsChangeRowsLeavesTheCountersExact() throws Exception {
    new CountsWorkload(ledger.documents(), 98, "seed").seedAll();
    execute("UPDATE document_counts SET documents = documents + 3 WHERE slot = 0");
    List<Ledger> pools = List.of(ledger, open(), open());
    List<Callable<Void>> workers = new ArrayList<>(workloads(pools, 4, 200, 120));
    // Recounts run among the writers' transactions, each correcting what the last one left.
    workers.add(
        () -> {
          for (int i = 0; i < 15; i++) {
            pools.get(i % pools.size()).progress().recount();
          }
          return null;
        });
    runAtOnce(workers);
    assertCountersMatchRows();
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = ledger.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  @Test
  void aTransactionThatFailsAfterChangingRowsMovesNoCounter() throws SQLException {
    Documents documents = ledger.documents();
    verified("a/kept");
    documents.upsert(asset("b/other", 1, null), UpsertOrigin.LISTING);
    Map<String, List<Long>> before = kept();
    MigrationProgress.Tally tallyBefore = ledger.progress().tally();

    // A newer version makes the verified row absent and a new row is inserted, then the third
    // asset's format is too long for its column: the database refuses it and the page rolls back.
    CloudinaryAsset tooLong = new CloudinaryAsset(key("c/bad"), "x".repeat(100), 1, null, 9);
    List<CloudinaryAsset> page =
        List.of(asset("a/kept", 2, null), asset("a/new", 1, null), tooLong);
    assertThatThrownBy(() -> documents.upsertAll(page, UpsertOrigin.LISTING))
        .isInstanceOf(LedgerException.class);
    // A bulk delete that tombstones one row, then meets a null key, rolls back too.
    assertThatThrownBy(
            () -> documents.markAllDeleted(Arrays.asList(key("b/other"), null), true, "bulk"))
        .isInstanceOf(NullPointerException.class);

    assertThat(documents.find(key("a/kept")).orElseThrow().state()).isEqualTo(S3State.VERIFIED);
    assertThat(documents.find(key("a/new"))).isEmpty();
    assertThat(documents.find(key("b/other")).orElseThrow().state()).isEqualTo(S3State.ABSENT);
    assertThat(kept()).isEqualTo(before);
    assertThat(ledger.progress().tally()).isEqualTo(tallyBefore);
    assertCountersMatchRows();
  }

  @Test
  void aMoveCountsTheTombstoneInTheOldFolderAndTheDocumentInTheNew() throws SQLException {
    Documents documents = ledger.documents();
    verified("a/doc");

    documents.move(key("a/doc"), asset("b/doc", 1, CountsWorkload.MD5), "renamed");

    List<MigrationProgress.Folder> folders = ledger.progress().byFolder("demo", 10);
    assertThat(folders).extracting(MigrationProgress.Folder::name).containsExactly("a", "b");
    assertThat(folders.get(0).tally().documents())
        .containsEntry(S3State.DELETED, 1L)
        .containsEntry(S3State.VERIFIED, 0L);
    assertThat(folders.get(1).tally().documents()).containsEntry(S3State.ABSENT, 1L);
    assertThat(folders.get(1).tally().bytes()).containsEntry(S3State.ABSENT, 1234L);
    assertCountersMatchRows();
  }

  @Test
  void theMigrationCountsTheRowsOfALedgerWrittenBeforeIt() throws SQLException {
    LedgerSettings settings = newDatabase().build();
    try (HikariDataSource pool = migratedTo(settings, "8.95");
        Connection c = pool.getConnection();
        Statement insert = c.createStatement()) {
      insert.executeUpdate(oldRow("a/one", "verified", 100));
      insert.executeUpdate(oldRow("a/two", "verified", 20));
      insert.executeUpdate(oldRow("a/b/three", "absent", 3));
      insert.executeUpdate(oldRow("root", "deleted", 0));

      ledger = Ledger.open(settings);
      try {
        assertCountersMatchRows();
        assertThat(ledger.progress().byFolder("demo", 5))
            .extracting(f -> f.tally().documents().get(S3State.VERIFIED))
            .containsExactly(0L, 2L);
        ledger.documents().markCopiedAndVerified(key("a/b/three"), 1, "m", "s");
        ledger.documents().upsert(asset("a/four", 1, null), UpsertOrigin.LISTING);
        assertCountersMatchRows();
        assertThat(ledger.documents().countByState())
            .containsEntry(S3State.VERIFIED, 3L)
            .containsEntry(S3State.ABSENT, 1L)
            .containsEntry(S3State.DELETED, 1L);
      } finally {
        ledger.close();
      }
    }
  }

  /** An INSERT of a row as the ledger wrote it before it kept counters. */
  private static String oldRow(String publicId, String state, long bytes) {
    return "INSERT INTO documents (cloud, resource_type, delivery_type, public_id, format,"
        + " cloudinary_version, bytes, s3_state, created_at, updated_at)"
        + " VALUES ('demo', 'image', 'upload', '"
        + publicId
        + "', 'pdf', 1, "
        + bytes
        + ", '"
        + state
        + "', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";
  }
}
