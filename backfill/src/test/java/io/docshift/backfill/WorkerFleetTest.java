package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two backfill workers, each with its own connection pool (as two processes would have), on one
 * real PostgreSQL ledger (embedded binaries): every document is put to S3 exactly once, counted by
 * a decorator around the real S3 store.
 */
@Timeout(180)
class WorkerFleetTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static EmbeddedPostgres postgres;

  @TempDir Path spool;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE fleet");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static Ledger ledger() {
    return Ledger.open(
        LedgerSettings.builder(postgres.getJdbcUrl("postgres", "fleet"))
            .credentials("postgres", "")
            .build());
  }

  @Test
  void twoWorkersOnOnePostgresLedgerCopyEachDocumentExactlyOnce() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    List<Seeded> docs = Harness.seed(emulator, "fleet", 40, 31);
    ExecutorService processes = Executors.newFixedThreadPool(2);
    try (Ledger a = ledger();
        Ledger b = ledger();
        DocumentStore cloudinary = Harness.cloudinary(emulator);
        DocumentStore s3 = Harness.s3(S3.s3(), "fleet/")) {
      CountingStore counting = new CountingStore(s3);
      CompletableFuture<BackfillReport> first =
          start(processes, "worker-a", a, cloudinary, counting);
      CompletableFuture<BackfillReport> second =
          start(processes, "worker-b", b, cloudinary, counting);
      BackfillReport ra = first.get(150, TimeUnit.SECONDS);
      BackfillReport rb = second.get(150, TimeUnit.SECONDS);

      assertThat(ra.clean()).isTrue();
      assertThat(rb.clean()).isTrue();
      assertThat(ra.copied() + rb.copied()).isEqualTo(docs.size());
      assertThat(ra.skipped() + rb.skipped()).isZero();
      assertThat(counting.allPuts()).hasSize(docs.size());
      assertThat(counting.allPuts().values()).extracting(AtomicInteger::get).containsOnly(1);
      assertThat(a.documents().countByState()).containsEntry(S3State.VERIFIED, 40L);
      Harness.assertAllCopied(s3, docs);
    } finally {
      processes.shutdownNow();
    }
  }

  private CompletableFuture<BackfillReport> start(
      ExecutorService processes,
      String worker,
      Ledger ledger,
      DocumentStore cloudinary,
      CountingStore s3) {
    BackfillOptions options =
        Runs.options("fleet/", spool).workerId(worker).concurrency(2).batchSize(3).build();
    Backfill backfill =
        Runs.backfill(options, ledger, CLOUDINARY.emulator(), cloudinary, s3).build();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return backfill.run();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        },
        processes);
  }
}
