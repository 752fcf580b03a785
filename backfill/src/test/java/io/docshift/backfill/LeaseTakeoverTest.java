package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.backfill.Harness.Seeded;
import io.docshift.core.store.DocumentStore;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Lease;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.S3State;
import io.docshift.ledger.UpsertOrigin;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases left by other processes, on a ledger whose clock the test moves: a restarted worker takes
 * back its own at once, a dead worker's are claimed when they lapse, and a live worker's (renewed
 * by its heartbeat) end the run unfinished, naming the holder, with its documents left alone; and a
 * run's own heartbeat keeps a copy that outlasts the lease from being taken over.
 */
@Timeout(120)
class LeaseTakeoverTest {
  private static final Duration LEASE = Duration.ofSeconds(2);

  /** Bound on each wait for the workers, which run on their own threads. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final Set<S3State> ABSENT = Set.of(S3State.ABSENT);

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spool;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  @Test
  void aLeaseThatLapsesBetweenTheEmptyClaimAndTheLookAtHoldersIsStillClaimed() throws Exception {
    try (Ledger ledger = Runs.h2Ledger(clock)) {
      LeaseWait wait = new LeaseWait(ledger.documents(), "w1", LEASE, clock);
      // The claim found nothing (a dead worker's lease was still valid), the look finds no holder
      // (it lapsed in between): one more claim, without the long wait for live holders.
      assertThat(wait.worthWaiting(ABSENT)).isTrue();
      assertThat(wait.othersHeld()).isFalse();
      // That claim found nothing either and still nobody holds anything: the run ends.
      assertThat(wait.worthWaiting(ABSENT)).isFalse();
    }
  }

  @Test
  void aRestartedWorkerTakesBackItsOwnLeasesAtOnce() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    List<Seeded> docs = Harness.seed(emulator, "own", 12, 1);
    try (Ledger ledger = Runs.h2Ledger(clock);
        DocumentStore cloudinary = Harness.cloudinary(emulator);
        DocumentStore s3 = Harness.s3(S3.s3(), "own-test/")) {
      list(ledger, docs);
      ledger.documents().claimBatch("w1", Duration.ofMinutes(10), 5, ABSENT);

      // The clock stands still: only taking the leases back lets this run finish.
      BackfillReport report = run(ledger, emulator, cloudinary, s3, "w1", "own/");

      assertThat(report.finished()).as(report.whyUnfinished().toString()).isTrue();
      assertThat(report.leasesTakenBack()).isEqualTo(5);
      assertThat(report.copied()).isEqualTo(docs.size());
      assertThat(ledger.documents().countByState()).containsEntry(S3State.VERIFIED, 12L);
      Harness.assertAllCopied(s3, docs);
    }
  }

  @Test
  void aDeadWorkersLeasesAreClaimedWhenTheyLapse() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    List<Seeded> docs = Harness.seed(emulator, "dead", 12, 2);
    try (Ledger ledger = Runs.h2Ledger(clock);
        DocumentStore cloudinary = Harness.cloudinary(emulator);
        DocumentStore s3 = Harness.s3(S3.s3(), "dead-test/")) {
      list(ledger, docs);
      ledger.documents().claimBatch("dead", LEASE, 5, ABSENT);

      CompletableFuture<BackfillReport> running =
          runAsync(ledger, emulator, cloudinary, s3, "w2", "dead/");
      Eventually.until(WAIT, () -> verified(ledger) == 7, "the unleased documents copied");
      assertThat(running).isNotDone(); // waiting for the dead worker's five
      clock.advance(LEASE);
      BackfillReport report = running.get(30, TimeUnit.SECONDS);

      assertThat(report.finished()).as(report.whyUnfinished().toString()).isTrue();
      assertThat(report.copied()).isEqualTo(docs.size());
      assertThat(report.leasedElsewhere()).isEmpty();
      assertThat(verified(ledger)).isEqualTo(12);
      Harness.assertAllCopied(s3, docs);
    }
  }

  @Test
  void aLiveWorkersLeasesEndTheRunUnfinishedAndNamed() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    List<Seeded> docs = Harness.seed(emulator, "live", 10, 3);
    try (Ledger ledger = Runs.h2Ledger(clock);
        DocumentStore cloudinary = Harness.cloudinary(emulator);
        DocumentStore s3 = Harness.s3(S3.s3(), "live-test/")) {
      list(ledger, docs);
      List<DocumentRecord> held = ledger.documents().claimBatch("live", LEASE, 3, ABSENT);

      CompletableFuture<BackfillReport> running =
          runAsync(ledger, emulator, cloudinary, s3, "w3", "live/");
      Eventually.until(WAIT, () -> verified(ledger) == 7, "the unleased documents copied");
      Eventually.holdsWithin(
          WAIT,
          () -> {
            clock.advance(Duration.ofMillis(250)); // the live worker's heartbeat keeps up with time
            ledger.documents().renewLeases("live", LEASE);
            return running.isDone();
          });
      BackfillReport report = running.get(1, TimeUnit.SECONDS);

      assertThat(report.finished()).isFalse();
      assertThat(report.clean()).isTrue();
      assertThat(report.leasedElsewhere()).isEqualTo(Map.of("live", 3L));
      assertThat(report.remaining()).isEqualTo(3);
      assertThat(report.whyUnfinished())
          .singleElement()
          .asString()
          .contains("3 documents are held by other workers", "live: 3");
      for (DocumentRecord row : held) {
        DocumentRecord now = ledger.documents().find(row.key()).orElseThrow();
        assertThat(now.state()).isEqualTo(S3State.ABSENT);
        assertThat(now.lease().orElseThrow().owner()).isEqualTo("live");
        Seeded doc = docs.stream().filter(d -> d.ledgerKey().equals(row.key())).findFirst().get();
        assertThat(Harness.storedSha256(s3, doc.key())).isEmpty();
      }
    }
  }

  @Test
  void aLiveRunRenewsItsLeasesSoNobodyElseTakesThem() throws Exception {
    CloudinaryEmulator emulator = CLOUDINARY.emulator();
    List<Seeded> docs = Harness.seed(emulator, "beat", 1, 4);
    CountDownLatch putAllowed = new CountDownLatch(1);
    try (Ledger ledger = Runs.h2Ledger(clock);
        DocumentStore cloudinary = Harness.cloudinary(emulator);
        DocumentStore s3 = Harness.s3(S3.s3(), "beat-test/")) {
      CountingStore slowS3 = new CountingStore(s3);
      slowS3.beforePut(key -> awaitQuietly(putAllowed)); // one copy that outlasts its lease
      CompletableFuture<BackfillReport> running =
          runAsync(ledger, emulator, cloudinary, slowS3, "w4", "beat/");
      for (int beat = 0; beat < 3; beat++) {
        Instant expiry = awaitLease(ledger, docs.get(0), "w4");
        clock.advance(LEASE.minusMillis(500));
        Eventually.until(
            WAIT, () -> leaseExpiry(ledger, docs.get(0)).isAfter(expiry), "a heartbeat");
        assertThat(ledger.documents().claimBatch("intruder", LEASE, 10, ABSENT)).isEmpty();
      }
      putAllowed.countDown();
      BackfillReport report = running.get(30, TimeUnit.SECONDS);

      assertThat(report.finished()).as(report.whyUnfinished().toString()).isTrue();
      assertThat(slowS3.allPuts()).hasSize(1);
      Harness.assertAllCopied(s3, docs);
    } finally {
      putAllowed.countDown();
    }
  }

  private static Instant awaitLease(Ledger ledger, Seeded doc, String owner)
      throws InterruptedException {
    Eventually.until(
        WAIT,
        () ->
            ledger
                .documents()
                .find(doc.ledgerKey())
                .flatMap(DocumentRecord::lease)
                .filter(l -> l.owner().equals(owner))
                .isPresent(),
        "the lease of " + owner);
    return leaseExpiry(ledger, doc);
  }

  private static Instant leaseExpiry(Ledger ledger, Seeded doc) {
    return ledger
        .documents()
        .find(doc.ledgerKey())
        .flatMap(DocumentRecord::lease)
        .map(Lease::expiresAt)
        .orElse(Instant.MIN);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void list(Ledger ledger, List<Seeded> docs) {
    ledger
        .documents()
        .upsertAll(docs.stream().map(Seeded::ledgerAsset).toList(), UpsertOrigin.LISTING);
  }

  private BackfillReport run(
      Ledger ledger,
      CloudinaryEmulator emulator,
      DocumentStore cloudinary,
      DocumentStore s3,
      String worker,
      String prefix)
      throws InterruptedException {
    BackfillOptions options = Runs.options(prefix, spool).workerId(worker).lease(LEASE).build();
    return Runs.backfill(options, ledger, emulator, cloudinary, s3).leaseClock(clock).build().run();
  }

  private CompletableFuture<BackfillReport> runAsync(
      Ledger ledger,
      CloudinaryEmulator emulator,
      DocumentStore cloudinary,
      DocumentStore s3,
      String worker,
      String prefix) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return run(ledger, emulator, cloudinary, s3, worker, prefix);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  private static long verified(Ledger ledger) {
    return ledger.documents().countByState().get(S3State.VERIFIED);
  }
}
