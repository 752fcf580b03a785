package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the backfill at random points, several times, and lets the next run finish the job.
 *
 * <p>Each run is a "process" of its own: its own ledger connection pool on the shared database and
 * its own S3 store decorator. The kill, at a random S3 put, takes both away at once: the pool is
 * closed (a transaction in flight is rolled back or lands whole, each ledger change being one
 * transaction) and the store refuses every further write. Nothing is cleaned up: leases stay, spool
 * files stay, the ledger keeps whatever transitions were committed, which is what a killed process
 * leaves behind as far as the ledger and S3 can tell; a forked JVM would add only start-up time.
 * The next run, as a new worker, starts once the ledger clock says the dead worker's leases
 * expired.
 */
@Timeout(180)
class CrashResumeTest {
  private static final Duration LEASE = Duration.ofMinutes(10);

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spool;

  private final AtomicInteger kills = new AtomicInteger();
  private final MutableClock ledgerClock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  @Test
  void killedRunsResumeUntilS3EqualsCloudinaryAndNothingVerifiedIsCopiedAgain() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    List<Seeded> docs = Harness.seed(emulator, "crash", 30, 21);
    Random random = new Random(42);
    String url = "jdbc:h2:mem:crash-" + UUID.randomUUID();
    try (Ledger ledger = ledger(url); // held open, so the database outlives every killed pool
        DocumentStore cloudinary = Harness.cloudinary(emulator);
        DocumentStore s3 = Harness.s3(S3.s3(), "crash-test/")) {
      int planned = 0;
      BackfillReport last = null;
      for (int run = 0; run < 12 && (last == null || !last.clean()); run++) {
        Set<DocumentKey> verifiedBefore = verified(ledger, docs);
        CountingStore counting = new CountingStore(s3);
        boolean kill = planned < 5;
        last = runOnce(run, kill ? 1 + random.nextInt(6) : -1, url, emulator, cloudinary, counting);
        planned += kill ? 1 : 0;
        for (DocumentKey key : verifiedBefore) {
          assertThat(counting.puts(key)).as("re-copied %s", key).isZero();
        }
        ledgerClock.advance(LEASE.plusSeconds(1)); // the dead worker's leases lapse
      }
      assertThat(kills).hasValue(5);
      assertThat(last.clean()).isTrue();
      assertThat(verified(ledger, docs)).hasSize(docs.size());
      Harness.assertAllCopied(s3, docs);
      assertThat(objectsUnder(S3.dataDir(), "crash-test")).hasSize(docs.size());
    }
  }

  /** One run on a pool of its own; null when it was killed. */
  private BackfillReport runOnce(
      int run,
      int killAtPut,
      String url,
      CloudinaryEmulator emulator,
      DocumentStore cloudinary,
      CountingStore s3)
      throws InterruptedException {
    BackfillOptions options =
        Runs.options("crash/", spool).workerId("worker-" + run).lease(LEASE).concurrency(4).build();
    // Not try-with-resources: the kill closes the pool from a worker thread, mid-run.
    Ledger own = ledger(url);
    try {
      Backfill backfill = Runs.backfill(options, own, emulator, cloudinary, s3).build();
      AtomicBoolean killed = new AtomicBoolean();
      AtomicInteger puts = new AtomicInteger();
      s3.beforePut(
          key -> {
            if (puts.incrementAndGet() == killAtPut && killed.compareAndSet(false, true)) {
              s3.kill();
              own.close();
              kills.incrementAndGet();
            }
          });
      try {
        BackfillReport report = backfill.run();
        return killed.get() ? null : report;
      } catch (RuntimeException e) { // the dead pool, surfacing where the run next asked for it
        if (!killed.get()) {
          throw e;
        }
        return null;
      }
    } finally {
      own.close();
    }
  }

  private Ledger ledger(String url) {
    return Ledger.open(LedgerSettings.builder(url).clock(ledgerClock).build());
  }

  private static Set<DocumentKey> verified(Ledger ledger, List<Seeded> docs) {
    Set<DocumentKey> keys = new HashSet<>();
    for (Seeded doc : docs) {
      ledger
          .documents()
          .find(doc.ledgerKey())
          .filter(row -> row.state() == S3State.VERIFIED)
          .ifPresent(row -> keys.add(doc.key()));
    }
    return keys;
  }

  /** Object files S3Proxy holds under a key prefix (its filesystem layout: bucket/key). */
  private static Set<String> objectsUnder(Path s3Dir, String prefix) throws IOException {
    Path root = s3Dir.resolve(EmbeddedS3Extension.BUCKET).resolve(prefix);
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toSet());
    }
  }
}
